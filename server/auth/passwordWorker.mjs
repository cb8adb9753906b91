// One bcrypt check per message, on a worker thread so the server's event loop (the poller, the API) never waits for
// one. Plain JavaScript so it runs as is under Next (bundled as a worker entry) and under Vitest.
import { parentPort } from 'node:worker_threads';
import bcrypt from 'bcryptjs';

parentPort?.on('message', ({ password, hash }) => {
  let ok = false;
  try {
    ok = bcrypt.compareSync(password, hash);
  } catch {
    // A malformed hash never matches.
  }
  parentPort?.postMessage(ok);
});
