// Latchkey's Electron main process: the composition root. It is the one module that touches the
// Electron runtime; everything it wires is a small module written against an injected interface
// (and unit-tested with Electron faked at that edge, test/main/**).
import { randomBytes } from 'node:crypto';
import { access, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Notification,
  session as electronSession,
  shell,
  utilityProcess,
  type Session,
} from 'electron';
import keytar from 'keytar';
import { chooseWebAuthnAccount, readTeamIdentifier, saveTextFile } from './app/desktop-actions.js';
import { APP_ID } from './app/identity.js';
import { appLayout } from './app/layout.js';
import { claimSingleInstance, focusWindow } from './app/single-instance.js';
import { buildStatus, type RuntimeState } from './app/status.js';
import { registerIpcHandlers } from './ipc/handlers.js';
import { explainKeychainFailure, keytarStore, probeKeychain, type SecretStore } from './keychain/keychain.js';
import { obtainServerKey } from './keychain/server-secret-key.js';
import { jsonFileMarks } from './notifications/event-marks.js';
import { eventFeed, isAccountChange, SecurityEventNotifier } from './notifications/security-event-notifier.js';
import { installContentSecurityPolicy } from './security/content-security-policy.js';
import { openInBrowser } from './security/external-links.js';
import { installNavigationGuards } from './security/navigation.js';
import { installPermissionHandlers } from './security/permissions.js';
import { findFreePort } from './server/free-port.js';
import { utilityProcessLauncher } from './server/process-launcher.js';
import { ServerSupervisor } from './server/supervisor.js';
import { CookieKeychainSync, keychainAccountFor, SESSION_COOKIE } from './session/cookie-keychain-sync.js';
import { resolveSettings, type EffectiveSettings } from './settings/effective-settings.js';
import { policyFilePath, readPolicy } from './settings/policy.js';
import { readUserSettings } from './settings/user-settings.js';
import { configurePlatformAuthenticator, handleAccountSelection } from './webauthn/webauthn.js';
import { errorPageUrl, type ErrorPage } from './window/error-page.js';
import { createMainWindow, SESSION_PARTITION } from './window/window-options.js';

const log = (message: string) => console.warn(`latchkey: ${message}`);
const textFiles = {
  readFile: (path: string) => readFile(path, 'utf8'),
  writeFile: (path: string, contents: string) => writeFile(path, contents, { encoding: 'utf8', mode: 0o600 }),
};

const state: RuntimeState = {
  appVersion: app.getVersion(),
  mode: 'bundled',
  origin: null,
  healthy: false,
  keychain: { available: false, reason: 'The OS keychain has not been checked yet.' },
  managed: false,
  policyError: null,
};
let mainWindow: BrowserWindow | null = null;
let supervisor: ServerSupervisor | null = null;
let cookieSync: CookieKeychainSync | null = null;
const serverOrigin = () => state.origin ?? 'null';

// Certificate errors: there is deliberately no 'certificate-error' listener, so Electron refuses
// every certificate it can't verify (its documented default); the electronegativity gate fails if
// one is added. Every renderer is sandboxed, whatever its webPreferences say.
app.enableSandbox();
// A separate profile (its own server data, settings and keychain account names stay the same),
// for running a second, throw-away Latchkey beside the real one, as the end-to-end test does.
if (process.env.LATCHKEY_USER_DATA_DIR) app.setPath('userData', process.env.LATCHKEY_USER_DATA_DIR);
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

if (claimSingleInstance(app, () => focusWindow(mainWindow))) {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.on('window-all-closed', () => app.quit());
  let cleanedUp = false;
  app.on('before-quit', (event) => {
    if (cleanedUp) return;
    event.preventDefault();
    void shutDown().finally(() => {
      cleanedUp = true;
      app.quit();
    });
  });
  app
    .whenReady()
    .then(start)
    .catch((error: Error) => {
      log(`could not start: ${error.message}`);
      showError({ title: 'Latchkey could not start', paragraphs: [error.message] });
    });
}

async function shutDown(): Promise<void> {
  await cookieSync?.stop().catch(() => undefined);
  await supervisor?.stop().catch((error: Error) => log(`stopping the server: ${error.message}`));
}

function showError(page: ErrorPage): void {
  state.healthy = false;
  void mainWindow?.loadURL(errorPageUrl(page));
}

function createWindow(preload: string): BrowserWindow {
  const window = createMainWindow(BrowserWindow, preload);
  installNavigationGuards(window.webContents, {
    serverOrigin,
    openInBrowser: (url) => openInBrowser(shell, url),
    onDenied: (url) => log(`refused to open ${url}`),
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  return window;
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const layout = appLayout({
    isPackaged: app.isPackaged,
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
  });
  const ses = electronSession.fromPartition(SESSION_PARTITION);
  installPermissionHandlers(ses, serverOrigin);
  installContentSecurityPolicy(ses.webRequest, serverOrigin);
  mainWindow = createWindow(layout.preload);
  const window = mainWindow;
  registerIpcHandlers(ipcMain, {
    appContentsId: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents.id : null),
    serverOrigin,
    saveTextFile: (name, contents) =>
      saveTextFile(
        { showSaveDialog: (options) => dialog.showSaveDialog(window, options) },
        app.getPath('documents'),
        name,
        contents,
      ),
    notify: (title, body) => {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
    status: () => buildStatus(state),
  });

  const policy = await readPolicy(policyFilePath(process.platform, process.env), textFiles);
  const user = await readUserSettings(join(userData, 'settings.json'), textFiles, log);
  const resolution = resolveSettings(policy, user);
  if (!resolution.ok) {
    state.managed = true;
    state.policyError = resolution.policyError;
    return showError({
      title: 'Latchkey’s IT policy is invalid',
      paragraphs: [
        resolution.policyError,
        'Ask your IT department to correct it; Latchkey connects to nothing until then.',
      ],
    });
  }
  const settings = resolution.settings;
  state.managed = settings.managed;
  state.mode = settings.server.mode;

  const store = keytarStore(keytar);
  state.keychain = await probeKeychain(store, randomBytes(16).toString('hex'));
  if (!state.keychain.available) log(state.keychain.reason);

  const origin =
    settings.server.mode === 'bundled'
      ? await startBundledServer(userData, layout, store)
      : await reachRemote(settings, ses);
  if (origin === null) return;
  state.origin = origin;
  state.healthy = true;

  if (state.keychain.available) {
    cookieSync = new CookieKeychainSync({
      jar: ses.cookies,
      store,
      account: keychainAccountFor(settings.server),
      serverOrigin,
      onKeychainError: (error) => {
        state.keychain = { available: false, reason: explainKeychainFailure(error) };
        log(state.keychain.reason);
      },
    });
    const restored = await cookieSync.restore().catch((error: Error) => `failed (${error.message})`);
    log(`session from the OS keychain: ${restored}`);
    cookieSync.watch();
  }
  const notifier = watchSecurityEvents(settings, ses, userData);
  ses.webRequest.onCompleted((details) => {
    cookieSync?.observeResponse(details);
    if (isAccountChange(details, serverOrigin())) void notifier.check().catch((error: Error) => log(error.message));
  });
  window.on('focus', () => void notifier.check().catch((error: Error) => log(error.message)));

  const teamId =
    process.platform === 'darwin' && app.isPackaged ? await readTeamIdentifier(process.execPath, APP_ID) : null;
  const touchId = configurePlatformAuthenticator(process.platform, app, { teamId, bundleId: APP_ID });
  if (!touchId.enabled && process.platform === 'darwin') log(touchId.reason);
  handleAccountSelection(ses, serverOrigin, (accounts, rpId) =>
    chooseWebAuthnAccount({ showMessageBox: (options) => dialog.showMessageBox(window, options) }, accounts, rpId),
  );

  await window.loadURL(origin);
}

async function startBundledServer(
  userData: string,
  layout: ReturnType<typeof appLayout>,
  store: SecretStore,
): Promise<string | null> {
  const dataDir = join(userData, 'server');
  const keyFile = join(dataDir, 'secret.key');
  const serverKey = await obtainServerKey(
    store,
    state.keychain,
    {
      databaseExists: () =>
        access(join(dataDir, 'latchkey.db')).then(
          () => true,
          () => false,
        ),
      readKeyFile: () => readFile(keyFile).catch(() => null),
      removeKeyFile: () => rm(keyFile, { force: true }),
    },
    randomBytes,
  ).catch((error: Error) => ({ source: 'unavailable' as const, error: `The OS keychain failed: ${error.message}.` }));
  if (serverKey.source === 'unavailable') {
    showError({ title: 'Latchkey cannot start its server', paragraphs: [serverKey.error] });
    return null;
  }
  const key = serverKey.source === 'keychain' ? serverKey.key : undefined;
  const portFile = join(userData, 'server-port');
  const preferredPort = Number((await readFile(portFile, 'utf8').catch(() => '')).trim()) || undefined;
  supervisor = new ServerSupervisor({
    launcher: utilityProcessLauncher((modulePath, args, options) => utilityProcess.fork(modulePath, args, options)),
    modulePath: layout.serverModule,
    dataDir,
    uiDir: layout.uiDir,
    secretKey: async () => (key ? Buffer.from(key) : undefined),
    findPort: findFreePort,
    ...(preferredPort ? { preferredPort } : {}),
    log: (line) => line && console.warn(line),
    onStateChange: (next, detail) => {
      state.healthy = next === 'running';
      if (next === 'running' && mainWindow && state.origin) void mainWindow.loadURL(state.origin);
      if (next === 'failed' && state.origin) {
        showError({
          title: 'Latchkey’s server stopped',
          paragraphs: [detail.error ?? '', 'Quit and open Latchkey again.'],
        });
      }
    },
  });
  try {
    const origin = await supervisor.start();
    await writeFile(portFile, `${new URL(origin).port}\n`).catch(() => undefined);
    return origin;
  } catch (error) {
    showError({
      title: 'Latchkey cannot start its server',
      paragraphs: [(error as Error).message, `Its data folder is ${dataDir}.`],
    });
    return null;
  }
}

async function reachRemote(settings: EffectiveSettings, ses: Session): Promise<string | null> {
  if (settings.server.mode !== 'remote') return null;
  const origin = settings.server.origin;
  try {
    // Chromium's network stack: the OS certificate store and proxy settings apply.
    const response = await ses.fetch(`${origin}/api/v1/health`, { redirect: 'error' });
    const body = (await response.json()) as { status?: unknown };
    if (response.status !== 200 || body.status !== 'ok')
      throw new Error(`its health check answered ${response.status}`);
    return origin;
  } catch (error) {
    const by = settings.chosenBy === 'policy' ? 'your IT department' : 'your settings';
    showError({
      title: `Latchkey cannot reach ${origin}`,
      paragraphs: [
        `${(error as Error).message}.`,
        `This server was chosen by ${by}. Check your connection and open Latchkey again.`,
      ],
    });
    return null;
  }
}

function watchSecurityEvents(settings: EffectiveSettings, ses: Session, userData: string): SecurityEventNotifier {
  const sessionToken = async () =>
    (await ses.cookies.get({ url: serverOrigin(), name: SESSION_COOKIE }))[0]?.value ?? null;
  return new SecurityEventNotifier({
    server: serverOrigin,
    fetchEvents: eventFeed(serverOrigin, sessionToken, (url, init) => ses.fetch(url, init)),
    marks: jsonFileMarks(join(userData, 'notified-events.json'), textFiles),
    notify: (title, body) => {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
    enabled: () => settings.securityNotifications,
  });
}
