import { delimiter, resolve } from 'node:path';
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

  it('keeps the compile cache in the cache folder, apart from the data, or nowhere with "off"', () => {
    const config = run(['--data-dir', '/srv/latchkey'], { XDG_CACHE_HOME: '/var/cache/pat' });
    if (process.platform === 'linux') expect(config.cacheDir).toBe('/var/cache/pat/latchkey');
    expect(config.cacheDir!.startsWith('/srv/latchkey')).toBe(false);
    expect(run(['--cache-dir', 'rel/cache']).cacheDir).toBe(resolve('rel/cache'));
    expect(run([], { LATCHKEY_CACHE_DIR: 'off' }).cacheDir).toBeNull();
    expect(run(['--slow-request-ms', '250']).slowRequestMs).toBe(250);
    expect(run([]).slowRequestMs).toBe(1000);
    expect(() => run(['--slow-request-ms', '0'])).toThrow(ConfigError);
    for (const name of ['cache-dir', 'slow-request-ms']) expect(helpText()).toContain(`--${name}`);
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

  it('takes any number of previous secret keys, from the option given again or the variable', () => {
    expect(run([]).previousSecretKeyFiles).toEqual([]);
    expect(
      run(['--previous-secret-key-file', '/keys/2024.key', '--previous-secret-key-file', 'old.key'], {
        LATCHKEY_PREVIOUS_SECRET_KEY_FILE: '/ignored.key',
      }).previousSecretKeyFiles,
    ).toEqual(['/keys/2024.key', resolve('old.key')]);
    expect(
      run([], { LATCHKEY_PREVIOUS_SECRET_KEY_FILE: ['/keys/a.key', '/keys/b.key'].join(delimiter) })
        .previousSecretKeyFiles,
    ).toEqual(['/keys/a.key', '/keys/b.key']);
    expect(helpText()).toMatch(
      /--previous-secret-key-file VALUE .*repeat for several.*LATCHKEY_PREVIOUS_SECRET_KEY_FILE/,
    );
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
      '--database-url',
      '--database-ssl-mode',
      '--database-ca-file',
      '--database-password-file',
      '--database-pool-size',
      '--database-connect-timeout-seconds',
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
      'LATCHKEY_DATABASE_URL',
      'LATCHKEY_DATABASE_POOL_SIZE',
    ]) {
      expect(help).toContain(variable);
    }
  });

  describe('the database', () => {
    it('is the SQLite file in the data folder unless a PostgreSQL URL is given', () => {
      expect(run(['--data-dir', '/srv/latchkey']).database).toEqual({
        kind: 'sqlite',
        file: '/srv/latchkey/latchkey.db',
      });
    });

    it('reads a PostgreSQL URL from the option or LATCHKEY_DATABASE_URL, with pool and timeout defaults', () => {
      const expected = {
        kind: 'postgres',
        host: 'db.example.com',
        port: 6432,
        user: 'latchkey',
        password: 's3cret/pw',
        database: 'identity',
        sslMode: 'verify-full',
        caFile: undefined,
        passwordFile: undefined,
        poolSize: 10,
        connectTimeoutSeconds: 10,
        displayUrl: 'postgres://latchkey@db.example.com:6432/identity',
      };
      const url = 'postgres://latchkey:s3cret%2Fpw@db.example.com:6432/identity';
      expect(run(['--database-url', url]).database).toEqual(expected);
      expect(run([], { LATCHKEY_DATABASE_URL: url }).database).toEqual(expected);
    });

    it('takes the TLS mode from the URL or the option, and the pool, timeout, CA and password files', () => {
      const config = run([
        '--database-url',
        'postgresql://app@10.0.0.5/latchkey',
        '--database-ssl-mode',
        'verify-ca',
        '--database-ca-file',
        '/etc/latchkey/db-ca.pem',
        '--database-password-file',
        '/etc/latchkey/db-password',
        '--database-pool-size',
        '25',
        '--database-connect-timeout-seconds',
        '3',
      ]).database;
      expect(config).toMatchObject({
        host: '10.0.0.5',
        port: 5432,
        sslMode: 'verify-ca',
        caFile: '/etc/latchkey/db-ca.pem',
        passwordFile: '/etc/latchkey/db-password',
        poolSize: 25,
        connectTimeoutSeconds: 3,
      });
      expect(run(['--database-url', 'postgres://db.example.com/x?sslmode=require']).database).toMatchObject({
        sslMode: 'require',
      });
    });

    it('needs no TLS for a database on this machine, by loopback or Unix socket', () => {
      expect(run(['--database-url', 'postgres://127.0.0.1/latchkey']).database).toMatchObject({ sslMode: 'disable' });
      expect(run(['--database-url', 'postgres://localhost/latchkey']).database).toMatchObject({ sslMode: 'disable' });
      expect(run(['--database-url', 'postgres:///latchkey?host=/run/postgresql']).database).toMatchObject({
        host: '/run/postgresql',
        sslMode: 'disable',
        displayUrl: 'postgres://[/run/postgresql]:5432/latchkey',
      });
    });

    it.each([
      [['--database-url', 'mysql://db/x'], /--database-url must start with postgres:\/\//],
      [['--database-url', 'not a url'], /--database-url must be a URL such as postgres:/],
      [['--database-url', 'postgres://db.example.com/x?sslmode=prefer'], /falls back to an unencrypted connection/],
      [['--database-url', 'postgres://db.example.com/x?sslmode=sometimes'], /sslmode must be one of disable, require/],
      [
        ['--database-url', 'postgres://db.example.com/x?sslrootcert=/ca.pem'],
        /parameter "sslrootcert" is not supported/,
      ],
      [
        ['--database-url', 'postgres://db.example.com/x', '--database-ssl-mode', 'verify-ca'],
        /verify-ca needs --database-ca-file/,
      ],
      [
        ['--database-url', 'postgres://db.example.com/x?sslmode=require', '--database-ssl-mode', 'disable'],
        /says sslmode=require and --database-ssl-mode says disable; keep one/,
      ],
      [['--database-url', 'postgres://u:p@db.example.com/x', '--database-password-file', '/p'], /keep one/],
      [['--database-url', 'postgres://127.0.0.1/x', '--database-ca-file', '/ca.pem'], /no use with sslmode disable/],
      [['--database-url', 'postgres:///x?host=/run/postgresql&sslmode=require'], /Unix socket carries no TLS/],
      [
        ['--database-url', 'postgres://db.example.com/x', '--database-pool-size', '0'],
        /--database-pool-size must be a whole number from 1/,
      ],
      [['--database-pool-size', '5'], /--database-pool-size applies only with --database-url/],
      [['--database-ca-file', '/ca.pem'], /--database-ca-file applies only with --database-url/],
    ])('refuses %j with one clear sentence', (argv, message) => {
      expect(() => parseCommandLine(argv, {})).toThrow(ConfigError);
      expect(() => parseCommandLine(argv, {})).toThrow(message);
    });

    it('never puts the password in the text it shows', () => {
      const config = run(['--database-url', 'postgres://latchkey:hunter2@db.example.com/latchkey']).database;
      expect(config.kind === 'postgres' && config.displayUrl).toBe('postgres://latchkey@db.example.com:5432/latchkey');
    });
  });
});
