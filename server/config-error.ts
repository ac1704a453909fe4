/** A problem with the options or the environment, told in one sentence that main.ts prints. */
export class ConfigError extends Error {}
