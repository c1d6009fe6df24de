import { readdir, readFile } from 'node:fs/promises';
import { connect as connectTcp } from 'node:net';
import { join } from 'node:path';

/** The listeners a nats-server reports in its ports file. */
export interface ReportedPorts {
  readonly client: number;
  readonly monitoring: number;
  readonly cluster?: number;
}

function portOf(urls: unknown): number | undefined {
  if (!Array.isArray(urls) || typeof urls[0] !== 'string') return undefined;
  return Number(new URL(urls[0]).port);
}

/**
 * Reads the ports file nats-server writes (`--ports_file_dir`) once its listeners are bound; it is
 * how servers started on port `-1` tell us which ports the kernel gave them. `undefined` until the
 * file for `pid` exists.
 */
export async function readPortsFile(dir: string, pid: number): Promise<ReportedPorts | undefined> {
  const name = (await readdir(dir)).find((file) => file.endsWith(`_${pid}.ports`));
  if (name === undefined) return undefined;
  const parsed = JSON.parse(await readFile(join(dir, name), 'utf8')) as Record<string, unknown>;
  const client = portOf(parsed.nats);
  const monitoring = portOf(parsed.monitoring);
  if (client === undefined || monitoring === undefined) return undefined;
  const cluster = portOf(parsed.cluster);
  return cluster === undefined ? { client, monitoring } : { client, monitoring, cluster };
}

/**
 * Resolves `true` once a TCP connection to `port` on loopback is answered by a NATS `INFO` line,
 * i.e. the server accepts clients; rejects if the connection fails.
 */
export function answersWithInfo(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.includes('\r\n')) {
        socket.destroy();
        resolve(received.startsWith('INFO '));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`port ${port} closed before sending INFO`)));
  });
}

/** The ids of the servers this server has a route to, from its monitoring endpoint. */
export async function routedServerIds(monitoringPort: number): Promise<Set<string>> {
  const response = await fetch(`http://127.0.0.1:${monitoringPort}/routez`);
  const body = (await response.json()) as { routes?: { remote_id?: string }[] | null };
  return new Set((body.routes ?? []).map((route) => route.remote_id ?? ''));
}
