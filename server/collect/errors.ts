import 'server-only';

/** A node error as the UI may show it: short, one line, and with no chance of carrying a secret we hold. */
export function describeNodeError(err: unknown, secrets: readonly string[]): string {
  let message = err instanceof Error ? err.message : String(err);
  if (/WRONGPASS|invalid password|invalid username-password/i.test(message))
    message = `authentication failed: ${message}`;
  else if (/NOAUTH/i.test(message)) message = `authentication required: the node wants a password (${message})`;
  else if (/Unknown RESP type|Protocol error|ReplyError: Protocol/i.test(message))
    message = `not a Redis reply (protocol error): is this a Redis port? ${message.replace(/ Please report this\.?/, '')}`;
  else if (/Stream isn't writeable|Connection is closed/i.test(message)) message = 'not connected (reconnecting)';
  for (const secret of secrets) if (secret) message = message.split(secret).join('***');
  return message.replace(/\s+/g, ' ').slice(0, 300);
}
