// Updates through electron-updater, from a generic feed (docs/deployment.md "Updates"):
// - the feed is the policy's updateUrl, else the one the build was made with (electron-builder
//   writes `publish` from electron-builder.yml into resources/app-update.yml);
// - electron-updater checks what it checks on each OS, and nothing here turns a check off: the
//   sha512 of every download; on Windows the installer's Authenticode signature against the
//   publisher names the build recorded; on macOS Squirrel.Mac's check that the update is signed
//   by the same developer as the running app;
// - off when the policy says autoUpdate: false (IT deploys updates with its own tools);
// - an update is downloaded in the background and installed when the person quits.
// "Check for updates" answers in words (answer()); a failure to check never throws.
import electronUpdaterModule from 'electron-updater';

/** The part of electron-updater's AppUpdater used here (its real classes satisfy it). */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  logger: { info(message?: unknown): void; warn(message?: unknown): void; error(message?: unknown): void } | null;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<{
    isUpdateAvailable: boolean;
    updateInfo: { version: string };
    downloadPromise?: Promise<unknown> | null;
  } | null>;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** electron-updater's updater for this OS and package (created on first use: it reads Electron's app). */
export function electronUpdater(): Updater {
  return electronUpdaterModule.autoUpdater;
}

export interface UpdateAnswer {
  type: 'info' | 'warning' | 'error';
  title: string;
  message: string;
}

export interface UpdateServiceOptions {
  updater: () => Updater;
  /** The policy's autoUpdate (true when it says nothing). */
  autoUpdate: boolean;
  /** The policy's updateUrl; null: the build's feed. */
  updateUrl: string | null;
  /** electron-updater only works in an installed app. */
  packaged: boolean;
  appVersion: string;
  log: (message: string) => void;
}

const NETWORK_ERRORS =
  /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ERR_INTERNET_DISCONNECTED|ERR_NAME_NOT_RESOLVED|ERR_CONNECTION_[A-Z_]+|ERR_NETWORK_[A-Z_]+|ERR_ADDRESS_UNREACHABLE|ERR_TIMED_OUT|ERR_PROXY_[A-Z_]+)\b/;

/** A failed check or download, in words a person can act on. */
export function describeUpdateError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const network = NETWORK_ERRORS.exec(text);
  if (network) {
    return `The update server could not be reached (${network[1]}): there may be no network connection, or the server is down. Check your connection and try again.`;
  }
  const status = /\b(?:HttpError: |status(?:Code)?[ :=]+)(\d{3})\b/.exec(text);
  if (status) {
    return `The update server answered HTTP ${status[1]}: it has no update information for this system. Tell your IT department or support contact.`;
  }
  if (/not signed|signature|publisher/i.test(text)) {
    return `The update was refused because its signature could not be verified (${firstLine(text)}). Nothing was installed.`;
  }
  return `${firstLine(text)}. Try again later.`;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim().replace(/\.$/, '');
}

export class UpdateService {
  private updater: Updater | null = null;
  private downloaded: string | null = null;

  constructor(private readonly options: UpdateServiceOptions) {}

  /** Why updates can't run here, or null when they can. */
  private unavailable(): UpdateAnswer | null {
    const version = this.options.appVersion;
    if (!this.options.autoUpdate) {
      return {
        type: 'info',
        title: 'Updates are managed by your IT department',
        message: `Your IT department installs Latchkey’s updates. This is version ${version}.`,
      };
    }
    if (!this.options.packaged) {
      return {
        type: 'info',
        title: 'Updates are checked only in the installed app',
        message: `This is a development build of Latchkey ${version}.`,
      };
    }
    return null;
  }

  private configured(): Updater {
    if (this.updater) return this.updater;
    const updater = this.options.updater();
    const log = (message?: unknown) => this.options.log(`updates: ${String(message)}`);
    updater.logger = { info: log, warn: log, error: log };
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    if (this.options.updateUrl !== null) updater.setFeedURL({ provider: 'generic', url: this.options.updateUrl });
    updater.on('update-downloaded', (info) => {
      this.downloaded = info.version;
      this.options.log(`updates: Latchkey ${info.version} is downloaded and will be installed on quit`);
    });
    // electron-updater emits every failure here as well; without a listener it would throw.
    updater.on('error', (error) => this.options.log(`updates: ${describeUpdateError(error)}`));
    this.updater = updater;
    return updater;
  }

  private async check(): Promise<Awaited<ReturnType<Updater['checkForUpdates']>>> {
    const result = await this.configured().checkForUpdates();
    // The download runs on; its failure is reported through 'error', never left unhandled.
    result?.downloadPromise?.catch(() => undefined);
    return result;
  }

  /** The check at start: silent, logged. */
  checkInBackground(): void {
    const reason = this.unavailable();
    if (reason) {
      this.options.log(`updates: not checking (${reason.title})`);
      return;
    }
    void this.check().catch(() => undefined);
  }

  /** "Check for updates": what to tell the person. Never throws. */
  async checkNow(): Promise<UpdateAnswer> {
    const reason = this.unavailable();
    if (reason) return reason;
    if (this.downloaded) {
      return {
        type: 'info',
        title: `Latchkey ${this.downloaded} is ready`,
        message: 'It will be installed when you quit Latchkey.',
      };
    }
    try {
      const result = await this.check();
      if (result === null) {
        return {
          type: 'warning',
          title: 'Updates are not available for this installation',
          message: 'Latchkey checks for updates only when it is installed from its installer.',
        };
      }
      if (result.isUpdateAvailable) {
        return {
          type: 'info',
          title: `Latchkey ${result.updateInfo.version} is available`,
          message: 'It is being downloaded and will be installed when you quit Latchkey.',
        };
      }
      return {
        type: 'info',
        title: 'Latchkey is up to date',
        message: `Version ${this.options.appVersion} is the newest.`,
      };
    } catch (error) {
      return { type: 'error', title: 'Latchkey could not check for updates', message: describeUpdateError(error) };
    }
  }
}
