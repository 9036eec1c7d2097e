import * as net from 'node:net';
import { ServicePortInfo } from '../protocol/types';

/** The port a local stand-in of the service would naturally use: where the container listens, else the service port. */
export function containerPortOf(port: ServicePortInfo): number {
  if (port.containerPort !== null) {
    return port.containerPort;
  }
  return port.targetPort !== null && /^\d+$/.test(port.targetPort) ? Number(port.targetPort) : port.port;
}

/** Ports below this need root to listen on. */
const firstUnprivileged = 1024;
/** How many ports after the preferred one are tried before the system picks one. */
const tries = 20;

/**
 * The local port to suggest for `preferred`: itself when it is unprivileged and free, a privileged port moved up by
 * 8000 (80 → 8080, 443 → 8443), and when that is taken the next free one after it (or any free one).
 */
export async function suggestLocalPort(preferred: number, isFree: (port: number) => Promise<boolean> = isLocalPortFree): Promise<number> {
  const start = preferred < firstUnprivileged ? preferred + 8000 : preferred;
  for (let port = start; port < start + tries && port <= 65535; port++) {
    if (await isFree(port)) {
      return port;
    }
  }
  return anyFreeLocalPort();
}

/** True when nothing listens on the loopback port (binding it is the only reliable test). */
export function isLocalPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A loopback port nothing listens on right now (the OS picks it; it is closed again before this returns). */
export function anyFreeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
