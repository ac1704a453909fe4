// Runs in the sandboxed renderer before the User Center loads: exposes a few named, typed
// functions and nothing else (never ipcRenderer itself).
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge, type Invoke } from './bridge.js';

const invoke: Invoke = (channel, ...args) => ipcRenderer.invoke(channel, ...args);

contextBridge.exposeInMainWorld('latchkey', createBridge(invoke));
