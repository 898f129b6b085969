// Judges tokens with the official Livefyre Node SDK (livefyre@2.0.9): its
// validateLivefyreToken, the reference validator of spec 2.4. Reads a JSON
// array of tokens on stdin and prints a JSON array of booleans, one a
// token: true when the SDK says valid, false when it says invalid or
// throws (a bad signature or algorithm throws, spec 2.4 step 1).
//
// Environment: NETWORK, NETWORK_KEY.
'use strict';

const Livefyre = require('livefyre');

const network = Livefyre.getNetwork(process.env.NETWORK, process.env.NETWORK_KEY);
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const verdicts = JSON.parse(input).map((tok) => {
    try {
      return network.validateLivefyreToken(tok) === true;
    } catch (e) {
      return false;
    }
  });
  process.stdout.write(JSON.stringify(verdicts) + '\n');
});
