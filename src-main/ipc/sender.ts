// IPC is answered only for the app's own window, its main frame, showing the server origin
// (Electron security checklist item 17: validate the sender of all IPC messages). A page that
// got into the window some other way, a subframe, or the error page gets nothing.
import { originOf } from '../security/origin.js';

/** The parts of Electron's IpcMainInvokeEvent the check reads. */
export interface IpcSender {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

export function isTrustedSender(event: IpcSender, appContentsId: number | null, serverOrigin: string): boolean {
  const frame = event.senderFrame;
  // senderFrame is null when the frame has navigated away or been destroyed meanwhile.
  if (frame === null) return false;
  if (appContentsId === null || event.sender.id !== appContentsId) return false;
  if (frame.parent !== null) return false;
  return originOf(frame.url) === serverOrigin;
}
