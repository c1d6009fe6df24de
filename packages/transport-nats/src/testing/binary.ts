import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The environment variable that overrides where the nats-server binary is. */
export const NATS_SERVER_BIN_ENV = 'NATS_SERVER_BIN';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Searched after the `PATH`: Debian's package installs to /usr/sbin, often outside a user's `PATH`. */
const SYSTEM_DIRS: readonly string[] = ['/usr/sbin', '/usr/local/bin'];

/**
 * Finds the nats-server binary: `$NATS_SERVER_BIN` if set, else `nats-server` on the `PATH` or in
 * `systemDirs`.
 *
 * @throws Error naming how to install it when no binary is found.
 */
export function findNatsServerBinary(
  env: NodeJS.ProcessEnv = process.env,
  systemDirs: readonly string[] = SYSTEM_DIRS,
): string {
  const override = env[NATS_SERVER_BIN_ENV];
  if (override !== undefined && override !== '') {
    if (isExecutable(override)) return override;
    throw new Error(
      `${NATS_SERVER_BIN_ENV}=${override} is not an executable file; point it at a nats-server binary or unset it`,
    );
  }
  const dirs = [...(env.PATH ?? '').split(delimiter).filter((dir) => dir !== ''), ...systemDirs];
  for (const dir of dirs) {
    const candidate = join(dir, 'nats-server');
    if (isExecutable(candidate)) return candidate;
  }
  throw new Error(
    'nats-server was not found on the PATH nor in /usr/sbin: install it with `apt-get install -y nats-server` ' +
      `(Debian/Ubuntu) or from https://github.com/nats-io/nats-server/releases, or set ${NATS_SERVER_BIN_ENV} to its path`,
  );
}
