// A Pull endpoint written the way the Financial Times wrote theirs (spec
// 5.1, Financial-Times/session-user-data-service, app/controllers/v1/
// livefyre.js): an Express route GET /v1/livefyre/profile?id=…&lftoken=…
// that validates with the official SDK's validateLivefyreToken, and keeps
// FT's two deviations from Livefyre's docs (spec 1.5):
//   - a missing id or lftoken is answered 400 with a text message, where
//     the docs say 403;
//   - a refusal is res.sendStatus(403), whose body is Express's "Forbidden",
//     where the docs say no body.
// With STRICT_REFUSALS=1 it is the same endpoint without them: a missing
// lftoken is 403, and every refusal is res.status(403).end().
//
// Environment: NETWORK, NETWORK_KEY, USERS (comma-separated ids),
// STRICT_REFUSALS. Prints "listening on http://127.0.0.1:PORT" once ready.
'use strict';

const express = require('express');
const Livefyre = require('livefyre');

const env = process.env;
const network = Livefyre.getNetwork(env.NETWORK, env.NETWORK_KEY);
const strictRefusals = env.STRICT_REFUSALS === '1';

// The site's user store: one person per id, as FT's came from their
// membership API.
const people = [
  { first: 'Margaret', last: 'Hamilton', pseudonym: 'mhamilton', comments: 'immediately', likes: 'never', replies: 'hourly', autofollow: true },
  { first: 'Katherine', last: 'Johnson', pseudonym: 'kjohnson_orbit', comments: 'hourly', likes: 'hourly', replies: 'immediately', autofollow: false },
  { first: 'Tim', last: 'Berners-Lee', pseudonym: 'timbl', comments: 'never', likes: 'immediately', replies: 'never' },
  { first: 'Sophie', last: 'Wilson', pseudonym: 'sophie.w', comments: 'immediately', replies: 'immediately' },
];
const users = new Map(env.USERS.split(',').map((id, i) => {
  const p = people[i % people.length];
  const n = Math.floor(i / people.length);
  const suffix = n ? String(n + 1) : '';
  return [id, Object.assign({}, p, {
    email: `${p.first}.${p.last}${suffix}@example.com`.toLowerCase(),
    pseudonym: p.pseudonym + suffix,
  })];
}));

// FT's mapping of their notification settings onto Livefyre's
// (commit 2b9daa9): hourly is "often", anything unknown "never".
const frequencies = { hourly: 'often', immediately: 'immediately', never: 'never' };

function profile(id, user) {
  const p = {
    id: String(id),
    email: user.email,
    name: { first: user.first, last: user.last },
    email_notifications: {
      comments: frequencies[user.comments] || 'never',
      likes: frequencies[user.likes] || 'never',
      replies: frequencies[user.replies] || 'never',
    },
    autofollow_conversations: user.autofollow ? 'true' : 'false',
    settings_url: '',
  };
  if (user.pseudonym) {
    p.display_name = user.pseudonym;
  }
  return p;
}

function forbidden(res) {
  if (strictRefusals) {
    res.status(403).end();
  } else {
    res.sendStatus(403);
  }
}

const app = express();

app.get('/v1/livefyre/profile', (req, res) => {
  const { id, lftoken } = req.query;
  if (strictRefusals && !lftoken) {
    forbidden(res);
    return;
  }
  if (!id || !lftoken) {
    res.status(400).send('id and lftoken are required');
    return;
  }
  let valid = false;
  try {
    valid = network.validateLivefyreToken(String(lftoken));
  } catch (e) {
    valid = false;
  }
  if (!valid) {
    forbidden(res);
    return;
  }
  const user = users.get(String(id));
  if (!user) {
    res.sendStatus(404);
    return;
  }
  res.json(profile(id, user));
});

const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
