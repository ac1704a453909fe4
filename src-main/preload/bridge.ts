// The bridge object the preload exposes as `window.latchkey`. It imports no Electron module, so
// the renderer can derive its type from here (`LatchkeyBridge`) without the two ever drifting.
import { IPC_CHANNELS, type IpcChannel, type IpcContract } from '../ipc/channels.js';

export type Invoke = <C extends IpcChannel>(
  channel: C,
  ...args: IpcContract[C]['args']
) => Promise<IpcContract[C]['result']>;

export function createBridge(invoke: Invoke) {
  return {
    /** Saves text through the native Save dialog (backup codes' Download). */
    saveTextFile: (suggestedName: string, contents: string) =>
      invoke(IPC_CHANNELS.saveTextFile, suggestedName, contents),
    /**
     * App version, server mode and health, keychain availability, IT policy state (the User
     * Center's notice that the session can't be kept, features/desktop/KeychainNotice.tsx).
     */
    getStatus: () => invoke(IPC_CHANNELS.getStatus),
  };
}

export type LatchkeyBridge = ReturnType<typeof createBridge>;
