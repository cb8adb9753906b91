import 'server-only';
import bcrypt from 'bcryptjs';

/** bcrypt cost: about 250 ms per check on the 2-core machine this runs on; logins are rate limited on top. */
export const BCRYPT_COST = 12;

// Checked against when the user name is unknown, so a wrong name costs the same time as a wrong password.
const DUMMY_HASH = '$2b$12$YMX3fEIrvLNv3fLaBybYXuxrEF5UckLz/HxJXcTzw0co.mMOo41vK';

export function hashPassword(password: string): Promise<string> {
  if (password.length === 0) throw new Error('refusing to hash an empty password');
  return bcrypt.hash(password, BCRYPT_COST);
}

/** An empty password never matches; a malformed hash never matches. */
export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  if (password.length === 0) return false;
  try {
    const ok = await bcrypt.compare(password, hash ?? DUMMY_HASH);
    return hash !== undefined && ok;
  } catch {
    return false;
  }
}
