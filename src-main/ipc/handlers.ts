// One handler per channel of ipc/channels.ts. Each checks the sender (ipc/sender.ts), narrows
// its `unknown` arguments (ipc/validate.ts) and only then calls the service that does the work.
import { IPC_CHANNELS, type IpcChannel, type IpcContract } from './channels.js';
import { isTrustedSender, type IpcSender } from './sender.js';
import { narrowNoArgs, narrowSaveTextFileArgs } from './validate.js';

export class IpcSenderError extends Error {
  constructor() {
    super('This request did not come from the Latchkey window.');
  }
}

/** The part of Electron's ipcMain the handlers are registered on (faked in the unit tests). */
export interface IpcRegistry {
  handle(channel: string, listener: (event: IpcSender, ...args: unknown[]) => unknown): void;
}

/** What the handlers do once the input is trusted: implemented with Electron in main.ts. */
export interface IpcServices {
  /** The webContents id of the app's window, or null while there is none. */
  appContentsId(): number | null;
  serverOrigin(): string;
  saveTextFile(...args: Args<typeof IPC_CHANNELS.saveTextFile>): Promise<Result<typeof IPC_CHANNELS.saveTextFile>>;
  status(): Result<typeof IPC_CHANNELS.getStatus>;
}

type Args<C extends IpcChannel> = IpcContract[C]['args'];
type Result<C extends IpcChannel> = IpcContract[C]['result'];

type Handlers = {
  [C in IpcChannel]: (args: readonly unknown[]) => Promise<Result<C>> | Result<C>;
};

export function ipcHandlers(services: IpcServices): Handlers {
  return {
    [IPC_CHANNELS.saveTextFile]: (args) => services.saveTextFile(...narrowSaveTextFileArgs(args)),
    [IPC_CHANNELS.getStatus]: (args) => {
      narrowNoArgs(args);
      return services.status();
    },
  };
}

export function registerIpcHandlers(ipc: IpcRegistry, services: IpcServices): void {
  const handlers = ipcHandlers(services);
  for (const channel of Object.keys(handlers) as IpcChannel[]) {
    const handler = handlers[channel] as (args: readonly unknown[]) => unknown;
    ipc.handle(channel, (event, ...args) => {
      if (!isTrustedSender(event, services.appContentsId(), services.serverOrigin())) throw new IpcSenderError();
      return handler(args);
    });
  }
}
