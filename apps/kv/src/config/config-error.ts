/** A flag, environment value or cluster file is invalid. The message says which and what to do. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
