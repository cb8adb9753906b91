// npm run --silent hash-password -- <password>   prints a bcrypt hash (cost 12) for "passwordHash" in the config.
// With no argument the password is read from standard input (so it stays out of the shell history).
import bcrypt from 'bcryptjs';

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const password = process.argv[2] ?? (process.stdin.isTTY ? '' : await readStdin());
if (!password) {
  console.error('usage: npm run --silent hash-password -- <password>   (or pipe the password on standard input)');
  process.exit(1);
}
console.log(await bcrypt.hash(password, 12));
