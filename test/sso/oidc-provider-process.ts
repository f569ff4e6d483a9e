/** Starts test/sso/oidc-op.mjs (a real oidc-provider) on a loopback port and stops it after the tests. */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

export async function startOidcProvider(o: {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  accounts: Record<string, Record<string, string>>;
}) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [path.join(__dirname, 'oidc-op.mjs'), JSON.stringify({ ...o, port })],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let errors = '';
  child.stderr.on('data', (d) => {
    errors += String(d);
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      if (String(d).includes('ready')) resolve();
    });
    child.once('exit', (code) => {
      reject(new Error(`oidc-provider exited (${code}): ${errors}`));
    });
  });
  return {
    issuer: `http://127.0.0.1:${port}`,
    /** Moves the provider's clock by this many seconds (0 puts it back). */
    async setClock(offsetSeconds: number) {
      await fetch(`http://127.0.0.1:${port}/__clock?offset=${offsetSeconds}`, { method: 'POST' });
    },
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
