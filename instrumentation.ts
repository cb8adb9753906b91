// Starts one poller per configured cluster when the server process starts (never in the browser or edge runtime).
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startServer } = await import('./server/startup');
  startServer();
}
