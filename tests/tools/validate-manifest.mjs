// Validates a Teams app manifest against the official JSON schema shipped by @microsoft/app-manifest
// (chosen by the manifest's "$schema" URL, read offline), and checks its icons.
//
//   node validate-manifest.mjs path/to/manifest.json
//   node validate-manifest.mjs - --base path/to/folder < manifest.json
//
// Output on stdout: {"valid", "schema", "errors", "warnings", "placeholders", "icons"}. Exit code 0
// when valid, 1 when not, 2 when the manifest cannot be read.

import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { inflateSync } from "node:zlib";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
const ZERO_GUID = "00000000-0000-0000-0000-000000000000";
const ICON_SIZES = { color: 192, outline: 32, color32x32: 32 };

// "https://developer.microsoft.com/[en-us/]json-schemas/teams/v1.22/MicrosoftTeams.schema.json" -> "v1.22"
function schemaVersionOf(url) {
  const match = /^https:\/\/developer\.microsoft\.com\/(?:[a-z]{2}(?:-[a-z]{2})?\/)?json-schemas\/teams\/(v[0-9.]+|vDevPreview)\/MicrosoftTeams\.schema\.json$/i
    .exec(url ?? "");
  return match?.[1];
}

function shippedSchemaPath(version) {
  const packageRoot = path.dirname(require.resolve("@microsoft/app-manifest/package.json"));
  return path.join(packageRoot, "build", "json-schemas", "teams", version, "MicrosoftTeams.schema.json");
}

async function validateAgainstSchema(manifest, errors) {
  const version = schemaVersionOf(manifest.$schema);
  if (!version) {
    errors.push(`$schema must be the official Teams schema URL (https://developer.microsoft.com/json-schemas/teams/v1.xx/MicrosoftTeams.schema.json), not ${JSON.stringify(manifest.$schema)}`);
    return undefined;
  }
  if (version !== "vDevPreview" && `v${manifest.manifestVersion}` !== version) {
    errors.push(`manifestVersion ${JSON.stringify(manifest.manifestVersion)} does not match the $schema version ${version}`);
  }

  const file = shippedSchemaPath(version);
  if (!existsSync(file)) {
    errors.push(`@microsoft/app-manifest does not ship the ${version} schema`);
    return undefined;
  }

  // Same schema handling as @microsoft/app-manifest's own validator: draft-04, all errors, its formats.
  const raw = await readFile(file, "utf8");
  const schema = JSON.parse(raw.replace(/\\a/g, "\\u0007").replace(/\\v/g, "\\u000b"));
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  addFormats(ajv, ["uri", "email", "regex"]);
  const validate = ajv.compile(schema);
  if (!validate(manifest)) {
    for (const error of validate.errors ?? []) {
      errors.push(`schema: ${error.instancePath || "/"} ${error.message ?? ""} ${JSON.stringify(error.params)}`.trim());
    }
  }
  return `teams/${version}`;
}

// Reads a PNG's header and, for 8-bit grey+alpha or RGBA images, its pixels.
function readPng(bytes) {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 33 || !bytes.subarray(0, 8).equals(signature)) {
    throw new Error("not a PNG file");
  }

  let header;
  const data = [];
  for (let offset = 8; offset + 8 <= bytes.length;) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString("latin1", offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      header = {
        width: body.readUInt32BE(0),
        height: body.readUInt32BE(4),
        bitDepth: body[8],
        colorType: body[9],
        interlaced: body[12] !== 0,
      };
    } else if (type === "IDAT") {
      data.push(body);
    } else if (type === "IEND") {
      break;
    }
    offset += 12 + length;
  }
  if (!header) {
    throw new Error("PNG without IHDR");
  }

  const channels = { 4: 2, 6: 4 }[header.colorType];
  if (!channels || header.bitDepth !== 8 || header.interlaced) {
    return { ...header, hasAlpha: header.colorType === 4 || header.colorType === 6, pixels: undefined };
  }

  const raw = inflateSync(Buffer.concat(data));
  const stride = header.width * channels;
  const pixels = Buffer.alloc(header.height * stride);
  for (let y = 0; y < header.height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? pixels[y * stride + x - channels] : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const upLeft = y > 0 && x >= channels ? pixels[(y - 1) * stride + x - channels] : 0;
      let predictor;
      switch (filter) {
        case 0: predictor = 0; break;
        case 1: predictor = left; break;
        case 2: predictor = up; break;
        case 3: predictor = (left + up) >> 1; break;
        case 4: {
          const p = left + up - upLeft;
          const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
          predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
          break;
        }
        default: throw new Error(`bad PNG filter ${filter}`);
      }
      pixels[y * stride + x] = (line[x] + predictor) & 0xff;
    }
  }

  // As RGBA, whatever the source layout.
  const rgba = [];
  for (let i = 0; i < pixels.length; i += channels) {
    rgba.push(channels === 4 ? [pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]] : [pixels[i], pixels[i], pixels[i], pixels[i + 1]]);
  }
  return { ...header, hasAlpha: true, pixels: rgba };
}

// Teams: the outline icon is white on a transparent background.
function checkOutline(png, errors) {
  if (!png.hasAlpha) {
    errors.push("icons.outline must have a transparent background (a PNG with an alpha channel)");
    return;
  }
  if (!png.pixels) {
    errors.push("icons.outline: use an 8-bit RGBA PNG so its transparency can be checked");
    return;
  }
  const transparent = png.pixels.filter(([, , , a]) => a === 0).length;
  const coloured = png.pixels.filter(([r, g, b, a]) => a > 0 && (r !== 255 || g !== 255 || b !== 255)).length;
  const drawn = png.pixels.length - transparent;
  if (transparent === 0) {
    errors.push("icons.outline has no transparent pixels; the background must be transparent");
  }
  if (drawn === 0) {
    errors.push("icons.outline is empty: every pixel is transparent");
  }
  if (coloured > 0) {
    errors.push(`icons.outline has ${coloured} visible pixels that are not white; it must be white on transparent`);
  }
  return { transparentPixels: transparent, whitePixels: drawn - coloured };
}

async function checkIcons(manifest, baseDir, errors) {
  const icons = {};
  for (const [name, expected] of Object.entries(ICON_SIZES)) {
    const relative = manifest.icons?.[name];
    if (relative === undefined) {
      continue;
    }
    const file = path.resolve(baseDir, relative);
    if (!existsSync(file)) {
      errors.push(`icons.${name}: ${relative} does not exist next to the manifest`);
      continue;
    }
    let png;
    try {
      png = readPng(await readFile(file));
    } catch (error) {
      errors.push(`icons.${name}: ${relative} is not a readable PNG (${error.message})`);
      continue;
    }
    icons[name] = { file: relative, width: png.width, height: png.height, hasAlpha: png.hasAlpha };
    if (png.width !== expected || png.height !== expected) {
      errors.push(`icons.${name} must be ${expected}x${expected} pixels, not ${png.width}x${png.height}`);
    }
    if (name === "outline") {
      Object.assign(icons[name], checkOutline(png, errors));
    }
  }
  return icons;
}

function findPlaceholders(manifest, warnings) {
  const placeholders = [];
  const check = (where, value) => {
    if (value === ZERO_GUID) {
      placeholders.push(where);
      warnings.push(`${where} is the placeholder ${ZERO_GUID}; replace it with the bot's Microsoft App ID before sideloading`);
    }
  };
  check("id", manifest.id);
  (manifest.bots ?? []).forEach((bot, i) => check(`bots[${i}].botId`, bot?.botId));
  check("webApplicationInfo.id", manifest.webApplicationInfo?.id);
  return placeholders;
}

async function main() {
  const args = process.argv.slice(2);
  const baseFlag = args.indexOf("--base");
  const baseArg = baseFlag >= 0 ? args.splice(baseFlag, 2)[1] : undefined;
  const file = args[0] ?? "-";

  let manifest;
  let baseDir;
  try {
    let text;
    if (file === "-") {
      const chunks = [];
      for await (const chunk of process.stdin) {
        chunks.push(chunk);
      }
      text = Buffer.concat(chunks).toString("utf8");
      baseDir = path.resolve(baseArg ?? ".");
    } else {
      text = await readFile(file, "utf8");
      baseDir = path.resolve(baseArg ?? path.dirname(file));
    }
    manifest = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    process.stdout.write(JSON.stringify({ valid: false, errors: [`Cannot read the manifest: ${error.message}`] }) + "\n");
    return 2;
  }

  const errors = [];
  const warnings = [];
  const schema = await validateAgainstSchema(manifest, errors);
  const icons = await checkIcons(manifest, baseDir, errors);
  const placeholders = findPlaceholders(manifest, warnings);

  const valid = errors.length === 0;
  process.stdout.write(JSON.stringify({ valid, schema, errors, warnings, placeholders, icons }, null, 2) + "\n");
  return valid ? 0 : 1;
}

process.exitCode = await main();
