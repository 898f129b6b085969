// A Pull endpoint built the way integrators built theirs (the Financial
// Times' among them, spec 5.1): the official Node SDK's
// validateLivefyreToken decides, a refusal is 403 with no body, an unknown
// user 404, a known one 200 application/json. The conformance suite runs
// against it to check that its auth specs agree with the SDK.
//
// Environment: NETWORK, NETWORK_KEY, USERS (comma-separated ids).
// Prints "listening on http://127.0.0.1:PORT" once ready.
'use strict';

const http = require('http');
const url = require('url');
const Livefyre = require('livefyre');

const env = process.env;
const network = Livefyre.getNetwork(env.NETWORK, env.NETWORK_KEY);
const users = new Set(env.USERS.split(','));

const server = http.createServer((req, res) => {
  const q = url.parse(req.url, true).query;
  let valid = false;
  try {
    valid = !!q.lftoken && network.validateLivefyreToken(q.lftoken);
  } catch (e) {
    valid = false;
  }
  if (!valid) {
    res.writeHead(403);
    res.end();
    return;
  }
  if (!users.has(q.id)) {
    res.writeHead(404);
    res.end();
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ id: q.id, display_name: 'SDK user ' + q.id, autofollow_conversations: 'false' }));
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
