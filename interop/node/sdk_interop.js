// Drives the official Livefyre Node SDK (livefyre@2.0.9) against p4p's mock
// Livefyre: registers a Pull URL with setUserSyncUrl, pings with syncUser,
// and serves the Pull endpoint itself, checking every token the mock sends
// with the SDK's validateLivefyreToken. Prints one JSON line with what
// happened; exits non-zero if any SDK call failed.
//
// Environment: LIVEFYRE_URL (the mock's base URL), NETWORK, NETWORK_KEY,
// USER_ID, TIMEOUT_MS (default 30000).
'use strict';

const http = require('http');
const url = require('url');
const Domain = require('livefyre/lib/api/domain');
const Livefyre = require('livefyre');

const env = process.env;
const mock = env.LIVEFYRE_URL.replace(/\/$/, '');
// The SDK builds https://{name}.quill.fyre.co (spec 3.1); point it at the mock.
Domain.quill = () => mock;

const network = Livefyre.getNetwork(env.NETWORK, env.NETWORK_KEY);
const userId = env.USER_ID;
const result = { registered: false, refused_template_without_id: false, synced: false, pulls: [] };

function finish(code, err) {
  if (err) result.error = String(err && err.message || err);
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(code);
}

const server = http.createServer((req, res) => {
  const q = url.parse(req.url, true).query;
  let valid = false;
  let error;
  try {
    valid = network.validateLivefyreToken(q.lftoken);
  } catch (e) {
    error = e.message;
  }
  result.pulls.push({ method: req.method, id: q.id, valid, error });
  if (!valid) {
    res.writeHead(403);
    res.end();
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ id: q.id, display_name: 'Node SDK user', autofollow_conversations: true }));
  // Give the mock a moment to read the answer before this process exits.
  setTimeout(() => finish(0), 200);
});

setTimeout(() => finish(1, 'timed out waiting for the pull'), Number(env.TIMEOUT_MS || 30000));

server.listen(0, '127.0.0.1', () => {
  const template = `http://127.0.0.1:${server.address().port}/pull?id={id}`;
  network.setUserSyncUrl('http://127.0.0.1/no-placeholder', (err) => {
    result.refused_template_without_id = !!err;
    network.setUserSyncUrl(template, (err) => {
      if (err) return finish(1, err);
      result.registered = true;
      network.syncUser(userId, (err) => {
        if (err) return finish(1, err);
        result.synced = true;
      });
    });
  });
});
