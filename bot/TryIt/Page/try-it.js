// The try-it page: two Web Chat panes on the bot's local Direct Line endpoint (polling, no WebSocket).
(async () => {
  'use strict';
  const status = document.getElementById('status');
  const simulate = document.getElementById('simulate');
  const nonce = document.querySelector('meta[name="csp-nonce"]').content;
  const say = (text) => { status.textContent = text; };

  if (!window.WebChat) {
    say('The Web Chat script is missing: build the bot with Node.js and npm installed (it runs npm ci in bot/TryIt/webchat).');
    return;
  }

  const post = async (url, token) => {
    const headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(url, { method: 'POST', headers, body: '{}' });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.detail || body.title || `HTTP ${response.status}`);
    return body;
  };

  const render = (pane, element) => window.WebChat.renderWebChat({
    directLine: window.WebChat.createDirectLine({
      token: pane.token,
      domain: `${window.location.origin}/v3/directline`,
      webSocket: false,
      pollingInterval: 500,
    }),
    userID: pane.userId,
    username: pane.userName,
    locale: 'en-US',
    nonce,
    styleOptions: { hideUploadButton: true, botAvatarInitials: 'PB', userAvatarInitials: pane.userName.charAt(0) },
  }, element);

  let session;
  try {
    session = await post('/try-it/session');
  } catch (error) {
    say(`Could not start: ${error.message}`);
    return;
  }

  render(session.employee, document.getElementById('employee-chat'));
  render(session.procurement, document.getElementById('procurement-chat'));
  simulate.disabled = false;
  say('Ready. Simulate a delivered purchase to get a check-in.');

  simulate.addEventListener('click', async () => {
    simulate.disabled = true;
    try {
      const purchase = await post('/try-it/purchases', session.employee.token);
      say(`Purchase ${purchase.purchaseId} (${purchase.description} from ${purchase.supplier}) delivered; the check-in is on its way.`);
    } catch (error) {
      say(`The purchase was not sent: ${error.message}`);
    } finally {
      simulate.disabled = false;
    }
  });
})();
