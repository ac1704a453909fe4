import { describe, expect, it } from 'vitest';
import { ConfigError, helpText, parseCommandLine } from '../../server/config.js';

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const parsed = parseCommandLine(argv, env);
  if (parsed.kind !== 'run') throw new Error(parsed.kind);
  return parsed.config;
}

describe('server configuration', () => {
  it('defaults to 127.0.0.1:4680, issuer Latchkey, open registration, 30 min idle and 12 h sessions', () => {
    const config = run([], { HOME: '/home/pat' });
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(4680);
    expect(config.issuer).toBe('Latchkey');
    expect(config.registrationOpen).toBe(true);
    expect(config.sessionIdleSeconds).toBe(30 * 60);
    expect(config.sessionAbsoluteSeconds).toBe(12 * 3600);
    expect(config.limits).toMatchObject({
      accountThreshold: 5,
      accountBaseLockSeconds: 60,
      accountMaxLockSeconds: 86400,
    });
    expect(config.limits).toMatchObject({ addressMaxFailures: 300, addressWindowSeconds: 900, ticketMaxFailures: 5 });
    expect(config.publicOrigin).toBeUndefined();
  });

  it('gives a login server short request, header and keep-alive timeouts, configurable', () => {
    expect(run([]).timeouts).toEqual({ requestSeconds: 15, headersSeconds: 10, keepAliveSeconds: 5 });
    expect(
      run(['--request-timeout-seconds', '30', '--keep-alive-timeout-seconds', '2'], {
        LATCHKEY_HEADERS_TIMEOUT_SECONDS: '20',
      }).timeouts,
    ).toEqual({ requestSeconds: 30, headersSeconds: 20, keepAliveSeconds: 2 });
    // A short request timeout brings the headers timeout down with it, unless both are set.
    expect(run(['--request-timeout-seconds', '4']).timeouts.headersSeconds).toBe(4);
    expect(() => run(['--request-timeout-seconds', '5', '--headers-timeout-seconds', '6'])).toThrow(
      /cannot be longer than --request-timeout-seconds/,
    );
    expect(() => run(['--request-timeout-seconds', '0'])).toThrow(ConfigError);
    for (const name of ['request-timeout-seconds', 'headers-timeout-seconds', 'keep-alive-timeout-seconds']) {
      expect(helpText()).toContain(`--${name}`);
    }
  });

  it('reads LATCHKEY_* variables, and flags win over them', () => {
    const env = {
      LATCHKEY_PORT: '5000',
      LATCHKEY_DATA_DIR: '/srv/latchkey',
      LATCHKEY_PUBLIC_ORIGIN: 'https://id.example.com',
      LATCHKEY_ISSUER: 'Acme',
    };
    const fromEnv = run([], env);
    expect(fromEnv).toMatchObject({
      port: 5000,
      dataDir: '/srv/latchkey',
      publicOrigin: 'https://id.example.com',
      issuer: 'Acme',
    });
    expect(run(['--port', '6000', '--issuer', 'Other'], env)).toMatchObject({ port: 6000, issuer: 'Other' });
  });

  it('closes registration by flag, and by default beyond loopback', () => {
    expect(run(['--registration', 'closed']).registrationOpen).toBe(false);
    expect(run(['--host', '0.0.0.0', '--public-origin', 'https://id.example.com']).registrationOpen).toBe(false);
  });

  it.each([
    [['--port', 'eighty'], /--port must be a whole number from 0 to 65535, not "eighty"\./],
    [['--port', '70000'], /--port must be a whole number/],
    [['--frobnicate'], /Unknown option '--frobnicate'.*--help/],
    [['--registration', 'maybe'], /--registration must be "open" or "closed"/],
    [['--public-origin', 'not a url'], /--public-origin must be a URL/],
    [['--public-origin', 'https://id.example.com/path'], /origin only/],
    [['--issuer', 'a:b'], /no colon/],
    [['stray'], /positional|Unexpected argument/i],
  ])('refuses %j with one clear sentence', (argv, message) => {
    expect(() => parseCommandLine(argv, {})).toThrow(ConfigError);
    expect(() => parseCommandLine(argv, {})).toThrow(message);
  });

  it('lists every option and its variable in --help', () => {
    expect(parseCommandLine(['--help'], {})).toEqual({ kind: 'help' });
    const help = helpText();
    for (const option of [
      '--port',
      '--data-dir',
      '--public-origin',
      '--issuer',
      '--registration',
      '--secret-key-file',
      '--help',
    ]) {
      expect(help).toContain(option);
    }
    for (const variable of [
      'LATCHKEY_PORT',
      'LATCHKEY_DATA_DIR',
      'LATCHKEY_PUBLIC_ORIGIN',
      'LATCHKEY_ISSUER',
      'LATCHKEY_SECRET_KEY_FILE',
    ]) {
      expect(help).toContain(variable);
    }
  });
});
