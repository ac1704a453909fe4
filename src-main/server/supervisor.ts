// Runs the bundled server: starts it on a free loopback port with its data in the app's
// user-data folder, waits for its health check, restarts it once if it dies, and stops it on
// quit. The secret key reaches the child in its environment only (memory, never disk); the
// server removes it from its own environment at once (server/app.ts takeInlineKey).
import { waitForHealthy } from './health-check.js';
import type { ProcessLauncher, ServerProcess } from './process-launcher.js';

export type SupervisorState = 'idle' | 'starting' | 'running' | 'restarting' | 'failed' | 'stopping' | 'stopped';

export interface SupervisorOptions {
  launcher: ProcessLauncher;
  /** The built server, build/server/main.js (inside app.asar when packaged). */
  modulePath: string;
  dataDir: string;
  /** The built User Center, served at `/`. */
  uiDir?: string;
  /**
   * Returns the 32-byte key, or undefined to let the server use its key file. Called for each
   * launch; the buffer it returns is zeroed once handed over, so return a fresh copy.
   */
  secretKey: () => Promise<Buffer | undefined>;
  findPort: (preferred?: number) => Promise<number>;
  preferredPort?: number;
  /** The environment the child inherits, without the key (default: this process's). */
  baseEnv?: NodeJS.ProcessEnv;
  healthTimeoutMs?: number;
  stopTimeoutMs?: number;
  /** How many times a server that died after starting is started again (default 1). */
  maxRestarts?: number;
  onStateChange?: (state: SupervisorState, detail: StateDetail) => void;
  /** Each chunk the server prints, as it comes (the app's log, logging/logger.ts). */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
}

export interface StateDetail {
  origin: string | null;
  /** One sentence: why the server is not running. */
  error: string | null;
  /** What the server printed last on stderr, whole (the error screen shows it word for word). */
  output: string | null;
}

/** A start that failed; `output` is the server's stderr tail. */
export class ServerStartError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

/**
 * How much of the server's stderr is kept. server/main.ts prints one sentence for the failures
 * it knows, but a module that fails to load (a native addon built for another Node) prints a
 * stack before main.ts runs, and that whole text is the cause.
 */
const STDERR_TAIL_CHARS = 8000;

/** The tail of the output, starting at a line boundary. */
function tailOf(text: string): string {
  if (text.length <= STDERR_TAIL_CHARS) return text;
  const cut = text.slice(-STDERR_TAIL_CHARS);
  const newline = cut.indexOf('\n');
  return newline === -1 ? cut : cut.slice(newline + 1);
}

export class ServerSupervisor {
  private child: ServerProcess | null = null;
  private port: number | null = null;
  private restarts = 0;
  private stderrTail = '';
  private exited: { code: number | null } | null = null;
  private currentState: SupervisorState = 'idle';
  private lastError: string | null = null;

  constructor(private readonly options: SupervisorOptions) {}

  get state(): SupervisorState {
    return this.currentState;
  }

  /** http://localhost:PORT: RP ID "localhost" for WebAuthn (127.0.0.1 is no valid RP ID). */
  get origin(): string | null {
    return this.port === null ? null : `http://localhost:${this.port}`;
  }

  get error(): string | null {
    return this.lastError;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** What the server printed on stderr since it was last launched. */
  get output(): string {
    return this.stderrTail;
  }

  private setState(state: SupervisorState, error: string | null = null): void {
    this.currentState = state;
    if (error !== null) this.lastError = error;
    this.options.onStateChange?.(state, {
      origin: this.origin,
      error,
      output: error === null ? null : this.stderrTail.trim() || null,
    });
  }

  /** Starts the server and resolves with its origin once it is healthy. */
  async start(): Promise<string> {
    if (this.currentState !== 'idle') throw new Error(`The server supervisor is ${this.currentState}, not idle.`);
    this.setState('starting');
    try {
      this.port = await this.options.findPort(this.options.preferredPort);
      await this.launchAndWait();
      this.setState('running');
      return this.origin!;
    } catch (error) {
      const message = (error as Error).message;
      this.setState('failed', message);
      throw new ServerStartError(message, this.stderrTail.trim());
    }
  }

  private async launchAndWait(): Promise<void> {
    const key = await this.options.secretKey();
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.options.baseEnv ?? process.env)) {
      // The bundled server keeps its data in the app's own SQLite file (docs/deployment.md): a
      // LATCHKEY_DATABASE_* meant for a team server in the user's environment must not move it.
      if (value !== undefined && name !== 'LATCHKEY_SECRET_KEY' && !name.startsWith('LATCHKEY_DATABASE_'))
        env[name] = value;
    }
    if (key) env.LATCHKEY_SECRET_KEY = key.toString('base64');
    const args = [
      '--host',
      '127.0.0.1',
      '--port',
      String(this.port),
      '--data-dir',
      this.options.dataDir,
      '--log-level',
      'warn',
      ...(this.options.uiDir ? ['--ui-dir', this.options.uiDir] : []),
    ];
    this.stderrTail = '';
    this.exited = null;
    const child = this.options.launcher.launch({ modulePath: this.options.modulePath, args, env });
    key?.fill(0);
    this.child = child;
    child.onOutput((stream, text) => {
      if (stream === 'stderr') this.stderrTail = tailOf(this.stderrTail + text);
      this.options.onOutput?.(stream, text);
    });
    child.onExit((code) => this.handleExit(child, code));
    try {
      await waitForHealthy(`http://127.0.0.1:${this.port}`, {
        timeoutMs: this.options.healthTimeoutMs ?? 20_000,
        abandoned: () => (this.exited && this.child === child ? this.exitMessage(this.exited.code) : null),
      });
    } catch (error) {
      if (!this.exited) child.kill();
      throw error;
    }
  }

  private exitMessage(code: number | null): string {
    const said = this.stderrTail
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('latchkey: '))
      .pop();
    if (said) return `The bundled server could not start: ${said.slice('latchkey: '.length)}`;
    return `The bundled server stopped (exit code ${code ?? 'none'}) before it was ready.`;
  }

  private handleExit(child: ServerProcess, code: number | null): void {
    if (child !== this.child) return;
    this.exited = { code };
    if (this.currentState !== 'running') return;
    const maxRestarts = this.options.maxRestarts ?? 1;
    if (this.restarts >= maxRestarts) {
      this.child = null;
      this.setState(
        'failed',
        `The bundled server stopped unexpectedly (exit code ${code ?? 'none'}) and was already restarted once.`,
      );
      return;
    }
    this.restarts += 1;
    this.setState('restarting');
    const stillWanted = () => this.currentState === 'restarting';
    this.launchAndWait().then(
      () => {
        if (stillWanted()) this.setState('running');
      },
      (error: Error) => {
        if (!stillWanted()) return;
        this.child = null;
        this.setState('failed', error.message);
      },
    );
  }

  /** Stops the server: the 'shutdown' message first, a kill after stopTimeoutMs. */
  async stop(): Promise<void> {
    const child = this.child;
    if (this.currentState === 'stopped') return;
    this.setState('stopping');
    if (!child || this.exited) {
      this.child = null;
      this.setState('stopped');
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        resolve();
      }, this.options.stopTimeoutMs ?? 5000);
      child.onExit(() => {
        clearTimeout(timer);
        resolve();
      });
      child.requestStop();
    });
    this.child = null;
    this.setState('stopped');
  }
}
