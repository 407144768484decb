// Validates Adaptive Card payloads with the official renderer (npm "adaptivecards") in jsdom.
//
//   node validate-cards.mjs [cards.json] < cards.json
//
// Input: a JSON array of card payloads (a single card object is accepted too), from the file
// argument or stdin. Output on stdout: {"valid": bool, "cards": [{index, valid, version,
// sizeBytes, actionTypes, errors, warnings}]}. Exit code 0 when every card is valid, 1 when any
// card is invalid, 2 when the input itself cannot be read.

import { readFile } from "node:fs/promises";
import { JSDOM } from "jsdom";

// Teams renders Adaptive Cards up to 1.5, and refuses messages over 28 KB.
const MAX_VERSION = "1.5";
const MAX_BYTES = 28 * 1024;

// Properties the Adaptive Cards schema requires, which the renderer does not insist on itself.
const REQUIRED = {
  TextBlock: ["text"],
  Image: ["url"],
  ImageSet: ["images"],
  Media: ["sources"],
  RichTextBlock: ["inlines"],
  FactSet: ["facts"],
  Container: ["items"],
  ActionSet: ["actions"],
  "Input.Text": ["id"],
  "Input.Number": ["id"],
  "Input.Date": ["id"],
  "Input.Time": ["id"],
  "Input.Toggle": ["id", "title"],
  "Input.ChoiceSet": ["id", "choices"],
  "Action.OpenUrl": ["url"],
  "Action.ToggleVisibility": ["targetElements"],
};

// Required properties of the plain objects inside elements (facts, choices).
const REQUIRED_ITEMS = { facts: ["title", "value"], choices: ["title", "value"] };

// Collections the renderer parses by hand, outside the objects' property schemas.
const PARSED_BY_HAND = {
  AdaptiveCard: ["actions"],
  ActionSet: ["actions"],
  ColumnSet: ["columns"],
  RichTextBlock: ["inlines"],
  Carousel: ["pages"],
  "Action.ShowCard": ["card"],
};

// Host extensions Teams reads at the card root, outside the Adaptive Cards object model.
const ROOT_HOST_PROPERTIES = new Set(["$schema", "msteams"]);

// The renderer needs a browser DOM: give it jsdom's window as its globals.
const dom = new JSDOM("<!DOCTYPE html><html><body></body></html>");
for (const name of Object.getOwnPropertyNames(dom.window)) {
  if (!(name in globalThis)) {
    try {
      globalThis[name] = dom.window[name];
    } catch {
      // A few window properties are getters that refuse to be copied; the renderer needs none of them.
    }
  }
}

const AC = await import("adaptivecards/dist/adaptivecards.js");
const { AdaptiveCard, SerializationContext, ValidationEvent, Version } = AC.default ?? AC;

// Teams renders markdown itself; here it is enough that text passes through.
AdaptiveCard.onProcessMarkdown = (text, result) => {
  const holder = dom.window.document.createElement("div");
  holder.textContent = text;
  result.outputHtml = holder.innerHTML;
  result.didProcess = true;
};

const NON_ERRORS = new Set([ValidationEvent.Hint, ValidationEvent.Deprecated]);

function describe(event) {
  const source = event.source?.getJsonTypeName?.();
  return `${ValidationEvent[event.event]}${source ? ` (${source})` : ""}: ${event.message}`;
}

function propertyNames(serializable) {
  const schema = serializable.getSchema();
  const names = new Set();
  for (let i = 0; i < schema.getCount(); i++) {
    names.add(schema.getItemAt(i).name);
  }
  return names;
}

// The renderer silently drops properties it does not know; so would Teams. Report them.
function checkProperties(object, source, where, errors, extra = new Set()) {
  if (source === null || typeof source !== "object" || Array.isArray(source)) {
    return;
  }

  const typeName = object.getJsonTypeName?.() ?? where;
  const known = propertyNames(object);
  for (const name of [...(PARSED_BY_HAND[typeName] ?? []), object.getItemsCollectionPropertyName?.(), "fallback"]) {
    if (name) {
      known.add(name);
    }
  }
  for (const key of Object.keys(source)) {
    if (!known.has(key) && !extra.has(key)) {
      errors.push(`UnknownProperty: ${where} has no property "${key}"`);
    }
  }

  for (const key of REQUIRED[typeName] ?? []) {
    const value = source[key];
    if (value === undefined || value === null || value === "") {
      errors.push(`MissingProperty: ${typeName} requires "${key}"`);
    }
  }

  // Facts and choices are plain serializable objects inside their element.
  for (const [key, value] of Object.entries(source)) {
    const parsed = object[key];
    if (!Array.isArray(value) || !Array.isArray(parsed)) {
      continue;
    }
    parsed.forEach((item, i) => {
      if (typeof item?.getSchema === "function" && typeof item.getJsonTypeName !== "function") {
        checkProperties(item, value[i], `${typeName}.${key}[${i}]`, errors);
        for (const name of REQUIRED_ITEMS[key] ?? []) {
          if (value[i]?.[name] === undefined || value[i]?.[name] === null) {
            errors.push(`MissingProperty: ${typeName}.${key}[${i}] requires "${name}"`);
          }
        }
      }
    });
  }
}

function checkVersion(payload, errors) {
  const parsed = typeof payload.version === "string" ? Version.parse(payload.version, new SerializationContext()) : undefined;
  if (!parsed || !parsed.isValid) {
    errors.push(`InvalidVersion: "version" must be a string like "${MAX_VERSION}"`);
    return;
  }
  if (parsed.compareTo(Version.parse(MAX_VERSION, new SerializationContext())) > 0) {
    errors.push(`UnsupportedVersion: version ${payload.version} is above ${MAX_VERSION}, the highest Teams renders`);
  }
}

function validateCard(payload, index) {
  const errors = [];
  const warnings = [];
  const json = JSON.stringify(payload) ?? "";
  const sizeBytes = Buffer.byteLength(json, "utf8");
  const result = { index, valid: false, version: payload?.version ?? null, sizeBytes, actionTypes: [], errors, warnings };

  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    errors.push("NotAnObject: a card payload must be a JSON object");
    return result;
  }
  if (payload.type !== "AdaptiveCard") {
    errors.push(`MissingCardType: "type" must be "AdaptiveCard", not ${JSON.stringify(payload.type)}`);
  }
  checkVersion(payload, errors);
  if (sizeBytes >= MAX_BYTES) {
    errors.push(`TooLarge: ${sizeBytes} bytes; Teams needs a card under ${MAX_BYTES} bytes`);
  }

  const card = new AdaptiveCard();
  const context = new SerializationContext();
  context.onParseElement = (element, source) => checkProperties(element, source, element.getJsonTypeName(), errors);
  context.onParseAction = (action, source) => checkProperties(action, source, action.getJsonTypeName(), errors);

  try {
    card.parse(payload, context);
  } catch (error) {
    errors.push(`ParseFailed: ${error?.message ?? error}`);
    return result;
  }
  checkProperties(card, payload, "AdaptiveCard", errors, ROOT_HOST_PROPERTIES);

  const events = [];
  for (let i = 0; i < context.eventCount; i++) {
    events.push(context.getEventAt(i));
  }
  events.push(...card.validateProperties().validationEvents);
  for (const event of events) {
    (NON_ERRORS.has(event.event) ? warnings : errors).push(describe(event));
  }

  result.actionTypes = [...new Set(card.getAllActions().map(a => a.getJsonTypeName()))];

  try {
    const element = card.render();
    if (!(element instanceof dom.window.HTMLElement)) {
      errors.push("RenderFailed: render() returned no element");
    } else if (!element.textContent?.trim() && card.getItemCount() > 0) {
      errors.push("RenderFailed: the rendered card has no text");
    }
  } catch (error) {
    errors.push(`RenderFailed: ${error?.message ?? error}`);
  }

  result.valid = errors.length === 0;
  return result;
}

async function readInput() {
  const file = process.argv[2];
  if (file) {
    return readFile(file, "utf8");
  }
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

let cards;
try {
  const input = JSON.parse(await readInput());
  cards = Array.isArray(input) ? input : [input];
} catch (error) {
  process.stdout.write(JSON.stringify({ valid: false, error: `Cannot read the cards: ${error.message}`, cards: [] }) + "\n");
  process.exit(2);
}

const results = cards.map((card, index) => validateCard(card, index));
const valid = results.every(r => r.valid);
process.stdout.write(JSON.stringify({ valid, cards: results }, null, 2) + "\n");
process.exitCode = valid ? 0 : 1;
