// The one list of IPC channels between the User Center (renderer) and the main process, with the
// argument and result types of each (electron/fiddle's rule: channels declared once). The preload
// bridge and the main-process handlers are both typed from this list.

export interface SaveTextFileResult {
  /** False when the person cancelled the dialog. */
  saved: boolean;
}

export interface AppStatus {
  appVersion: string;
  server: {
    mode: 'bundled' | 'remote';
    origin: string;
    healthy: boolean;
  };
  keychain: {
    /** Whether the session can be kept in the OS keychain across restarts. */
    available: boolean;
    /** Why not, in a sentence a person can act on. */
    reason: string | null;
  };
  policy: {
    /** Set by an IT policy file. */
    managed: boolean;
    /** An invalid policy file is shown, never ignored silently. */
    error: string | null;
  };
}

export const IPC_CHANNELS = {
  saveTextFile: 'latchkey:save-text-file',
  getStatus: 'latchkey:get-status',
} as const;

export interface IpcContract {
  [IPC_CHANNELS.saveTextFile]: { args: [suggestedName: string, contents: string]; result: SaveTextFileResult };
  [IPC_CHANNELS.getStatus]: { args: []; result: AppStatus };
}

export type IpcChannel = keyof IpcContract;
