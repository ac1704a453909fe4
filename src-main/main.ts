// Latchkey's Electron main process: the composition root. It is the one module that touches the
// Electron runtime; everything it wires is a small module written against an injected interface
// (and unit-tested with Electron faked at that edge, test/main/**; the real app in test/electron/).
// Start-up is a row of small named steps (as electron/fiddle does it); what doesn't depend on
// anything else (the IT policy and the person's settings, the OS keychain, the macOS signature)
// is read in parallel, and the bundled server starts as soon as those two answers are in.
import { randomBytes } from 'node:crypto';
import { access, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  Notification,
  session as electronSession,
  shell,
  utilityProcess,
  type Session,
} from 'electron';
import { chooseWebAuthnAccount, readTeamIdentifier, saveTextFile } from './app/desktop-actions.js';
import { APP_ID } from './app/identity.js';
import { appLayout, type AppLayout } from './app/layout.js';
import { claimSingleInstance, focusWindow } from './app/single-instance.js';
import { buildStatus, type RuntimeState } from './app/status.js';
import { registerIpcHandlers } from './ipc/handlers.js';
import { explainKeychainFailure, openKeychain, type OpenedKeychain } from './keychain/keychain.js';
import { obtainServerKey } from './keychain/server-secret-key.js';
import { createLogger } from './logging/logger.js';
import { RotatingFile } from './logging/rotating-file.js';
import { applicationMenuTemplate, guardShortcuts } from './menu/application-menu.js';
import { jsonFileMarks } from './notifications/event-marks.js';
import { eventFeed, isAccountChange, SecurityEventNotifier } from './notifications/security-event-notifier.js';
import { chooseClientCertificate, installCertificatePolicy } from './security/client-certificates.js';
import { installContentSecurityPolicy } from './security/content-security-policy.js';
import { openInBrowser } from './security/external-links.js';
import { pinLocalhost } from './security/localhost.js';
import { installNavigationGuards } from './security/navigation.js';
import { installPermissionHandlers } from './security/permissions.js';
import { findFreePort } from './server/free-port.js';
import { utilityProcessLauncher } from './server/process-launcher.js';
import { ServerStartError, ServerSupervisor } from './server/supervisor.js';
import { CookieKeychainSync, keychainAccountFor, SESSION_COOKIE } from './session/cookie-keychain-sync.js';
import { sessionOnlyResponseHeaders } from './session/session-only-cookie.js';
import { resolveSettings, type EffectiveSettings } from './settings/effective-settings.js';
import { readMachinePolicy, systemTools } from './settings/policy-sources.js';
import { readUserSettings } from './settings/user-settings.js';
import { electronUpdater, UpdateService } from './updates/update-service.js';
import { configurePlatformAuthenticator, handleAccountSelection } from './webauthn/webauthn.js';
import { errorPageUrl, type ErrorPage } from './window/error-page.js';
import { createMainWindow, SESSION_PARTITION } from './window/window-options.js';

/** The log: `logs/latchkey.log` in the user-data folder, 1 MB, with 3 older files kept. */
const LOG_FILE = { name: 'latchkey.log', maxBytes: 1024 * 1024, keep: 3 } as const;
let logFile: RotatingFile | null = null;
const log = createLogger({ file: () => logFile, now: () => new Date(), echo: (line) => console.warn(line) });

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
let updates: UpdateService | null = null;
const serverOrigin = () => state.origin ?? 'null';
const logsFolder = () => join(app.getPath('userData'), 'logs');

configureProcess();
if (claimSingleInstance(app, () => focusWindow(mainWindow))) {
  setupAppEvents();
  app
    .whenReady()
    .then(start)
    .catch((error: Error) => {
      log(`could not start: ${error.stack ?? error.message}`);
      log.flush();
      if (mainWindow) return showError({ title: 'Latchkey could not start', paragraphs: [error.message] });
      // No window to show it in: the OS's own error box, then quit rather than run unseen.
      dialog.showErrorBox('Latchkey could not start', `${error.message}\n\nThe log is in ${logsFolder()}.`);
      app.quit();
    });
}

/** Before Electron is ready: switches and paths that must be set first. */
function configureProcess(): void {
  // Every renderer is sandboxed, whatever its webPreferences say.
  app.enableSandbox();
  // Nothing but the bundled server answers at http://localhost:PORT (security/localhost.ts).
  pinLocalhost(app.commandLine);
  // A separate profile (its own server data, settings and logs; keychain account names stay the
  // same), for running a second, throw-away Latchkey beside the real one, as test/electron does.
  if (process.env.LATCHKEY_USER_DATA_DIR) app.setPath('userData', process.env.LATCHKEY_USER_DATA_DIR);
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
}

function setupAppEvents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  installCertificatePolicy(app, {
    serverOrigin,
    choose: (certificates, host) =>
      chooseClientCertificate(
        {
          showMessageBox: (options) =>
            mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options),
        },
        certificates,
        host,
      ),
    log,
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
}

async function shutDown(): Promise<void> {
  await cookieSync?.stop().catch(() => undefined);
  await supervisor?.stop().catch((error: Error) => log(`stopping the server: ${error.message}`));
  log.flush();
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  setupLogging();
  const layout = appLayout({
    isPackaged: app.isPackaged,
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
  });
  const ses = setupSession();
  const window = setupWindow(layout);
  setupIpc(window);
  setupMenu();

  const [settings, keychain, teamId] = await Promise.all([
    loadSettings(userData),
    openKeychain(randomBytes(16).toString('hex')),
    process.platform === 'darwin' && app.isPackaged
      ? readTeamIdentifier(process.execPath, APP_ID)
      : Promise.resolve(null),
  ]);
  state.keychain = keychain.availability;
  if (!state.keychain.available) log(state.keychain.reason);
  if (settings === null) return;
  setupUpdates(settings);
  setupWebAuthn(ses, window, teamId);

  const origin =
    settings.server.mode === 'bundled'
      ? await startBundledServer(userData, layout, keychain)
      : await reachRemote(settings, ses);
  if (origin === null) return;
  state.origin = origin;
  state.healthy = true;

  await restoreSession(ses, keychain, settings);
  watchSecurityEvents(settings, ses, window, userData);
  await window.loadURL(origin);
  updates?.checkInBackground();
}

function setupLogging(): void {
  try {
    logFile = new RotatingFile({ folder: logsFolder(), ...LOG_FILE });
  } catch (error) {
    log(`the log folder ${logsFolder()} cannot be written (${(error as Error).message}); logging to the console only`);
  }
  log(
    `Latchkey ${app.getVersion()} starting (Electron ${process.versions.electron}, ${process.platform} ${process.arch})`,
  );
}

/** The window's session: permissions, the Content-Security-Policy, the session cookie kept off disk. */
function setupSession(): Session {
  const ses = electronSession.fromPartition(SESSION_PARTITION);
  installPermissionHandlers(ses, serverOrigin);
  installContentSecurityPolicy(ses.webRequest, serverOrigin, [
    (url, headers) =>
      cookieSync ? cookieSync.responseHeaders(url, headers) : sessionOnlyResponseHeaders(headers, Date.now()).headers,
  ]);
  return ses;
}

function setupWindow(layout: AppLayout): BrowserWindow {
  const window = createMainWindow(BrowserWindow, layout.preload, { devTools: !app.isPackaged });
  installNavigationGuards(window.webContents, {
    serverOrigin,
    openInBrowser: (url) => openInBrowser(shell, url),
    onDenied: (url) => log(`refused to open ${url}`),
    errorPageActions: { openLogsFolder },
  });
  if (app.isPackaged) guardShortcuts(window.webContents);
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  mainWindow = window;
  return window;
}

function setupIpc(window: BrowserWindow): void {
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
    status: () => buildStatus(state),
  });
}

function setupMenu(): void {
  const template = applicationMenuTemplate({
    platform: process.platform,
    packaged: app.isPackaged,
    appName: app.name,
    actions: { checkForUpdates: () => void checkForUpdatesNow(), openLogsFolder },
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function openLogsFolder(): void {
  void shell.openPath(logsFolder()).then((problem) => {
    if (problem) log(`could not open the logs folder: ${problem}`);
  });
}

/** The IT policy (registry, managed preferences or file) and the person's settings; null when the policy is invalid. */
async function loadSettings(userData: string): Promise<EffectiveSettings | null> {
  const [policy, user] = await Promise.all([
    readMachinePolicy(process.platform, systemTools(), log),
    readUserSettings(join(userData, 'settings.json'), textFiles, log),
  ]);
  const resolution = resolveSettings(policy, user);
  if (!resolution.ok) {
    state.managed = true;
    state.policyError = resolution.policyError;
    showError({
      title: 'Latchkey’s IT policy is invalid',
      paragraphs: [
        resolution.policyError,
        'Ask your IT department to correct it; Latchkey connects to nothing until then.',
      ],
    });
    return null;
  }
  state.managed = resolution.settings.managed;
  state.mode = resolution.settings.server.mode;
  return resolution.settings;
}

function setupUpdates(settings: EffectiveSettings): void {
  updates = new UpdateService({
    updater: () => electronUpdater(),
    autoUpdate: settings.autoUpdate,
    updateUrl: settings.updateUrl,
    packaged: app.isPackaged,
    appVersion: app.getVersion(),
    log,
  });
}

async function checkForUpdatesNow(): Promise<void> {
  const answer = updates
    ? await updates.checkNow()
    : {
        type: 'info' as const,
        title: 'Updates are not available right now',
        message: 'Latchkey has not finished starting, or could not read its IT policy.',
      };
  const options = {
    type: answer.type,
    title: 'Check for updates',
    message: answer.title,
    detail: answer.message,
    buttons: ['OK'],
  };
  await (mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options));
}

function setupWebAuthn(ses: Session, window: BrowserWindow, teamId: string | null): void {
  const touchId = configurePlatformAuthenticator(process.platform, app, { teamId, bundleId: APP_ID });
  if (!touchId.enabled && process.platform === 'darwin') log(touchId.reason);
  handleAccountSelection(ses, serverOrigin, (accounts, rpId) =>
    chooseWebAuthnAccount({ showMessageBox: (options) => dialog.showMessageBox(window, options) }, accounts, rpId),
  );
}

async function startBundledServer(
  userData: string,
  layout: AppLayout,
  keychain: OpenedKeychain,
): Promise<string | null> {
  const dataDir = join(userData, 'server');
  const keyFile = join(dataDir, 'secret.key');
  const [serverKey, preferredPort] = await Promise.all([
    obtainServerKey(
      keychain.store,
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
    ).catch((error: Error) => ({ source: 'unavailable' as const, error: `The OS keychain failed: ${error.message}.` })),
    readFile(join(userData, 'server-port'), 'utf8').then(
      (text) => Number(text.trim()) || undefined,
      () => undefined,
    ),
  ]);
  if (serverKey.source === 'unavailable') {
    showError({ title: 'Latchkey cannot start its server', paragraphs: [serverKey.error] });
    return null;
  }
  const key = serverKey.source === 'keychain' ? serverKey.key : undefined;
  // The key reaches the server in its environment; it must never reach the log.
  if (key) log.addSecret(key.toString('base64'));
  supervisor = new ServerSupervisor({
    launcher: utilityProcessLauncher((modulePath, args, options) => utilityProcess.fork(modulePath, args, options)),
    modulePath: layout.serverModule,
    dataDir,
    uiDir: layout.uiDir,
    secretKey: async () => (key ? Buffer.from(key) : undefined),
    findPort: findFreePort,
    ...(preferredPort ? { preferredPort } : {}),
    onOutput: (stream, text) => log.server(stream, text),
    onStateChange: (next, detail) => {
      log(`bundled server: ${next}${detail.error ? ` (${detail.error})` : ''}`);
      // The server exited: what it printed last, even without a final newline, belongs in the log.
      if (next === 'restarting' || next === 'failed') log.flush();
      state.healthy = next === 'running';
      if (next === 'running' && mainWindow && state.origin) void mainWindow.loadURL(state.origin);
      if (next === 'failed' && state.origin) {
        showError({
          title: 'Latchkey’s server stopped',
          paragraphs: [detail.error ?? '', 'Quit and open Latchkey again.'],
          ...(detail.output ? { details: log.redact(detail.output) } : {}),
        });
      }
    },
  });
  try {
    const origin = await supervisor.start();
    await writeFile(join(userData, 'server-port'), `${new URL(origin).port}\n`).catch(() => undefined);
    return origin;
  } catch (error) {
    log.flush();
    showError({
      title: 'Latchkey cannot start its server',
      paragraphs: [(error as Error).message, `Its data folder is ${dataDir}.`],
      ...(error instanceof ServerStartError && error.output ? { details: log.redact(error.output) } : {}),
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
    log(`cannot reach ${origin}: ${(error as Error).message}`);
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

/** Puts the saved session back before the first page loads, and follows it from then on. */
async function restoreSession(ses: Session, keychain: OpenedKeychain, settings: EffectiveSettings): Promise<void> {
  if (!state.keychain.available) return;
  cookieSync = new CookieKeychainSync({
    jar: ses.cookies,
    store: keychain.store,
    account: keychainAccountFor(settings.server),
    serverOrigin,
    onKeychainError: (error) => {
      state.keychain = { available: false, reason: explainKeychainFailure(error) };
      log(state.keychain.reason);
    },
    log,
  });
  const restored = await cookieSync.restore().catch((error: Error) => `failed (${error.message})`);
  log(`session from the OS keychain: ${restored}`);
  cookieSync.watch();
}

function watchSecurityEvents(settings: EffectiveSettings, ses: Session, window: BrowserWindow, userData: string): void {
  const sessionToken = async () =>
    (await ses.cookies.get({ url: serverOrigin(), name: SESSION_COOKIE }))[0]?.value ?? null;
  const notifier = new SecurityEventNotifier({
    server: serverOrigin,
    fetchEvents: eventFeed(serverOrigin, sessionToken, (url, init) => ses.fetch(url, init)),
    marks: jsonFileMarks(join(userData, 'notified-events.json'), textFiles),
    notify: (title, body) => {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
    enabled: () => settings.securityNotifications,
  });
  const check = () => void notifier.check().catch((error: Error) => log(error.message));
  ses.webRequest.onCompleted((details) => {
    cookieSync?.observeResponse(details);
    if (isAccountChange(details, serverOrigin())) check();
  });
  window.on('focus', check);
}

function showError(page: ErrorPage): void {
  state.healthy = false;
  log(`error screen: ${page.title}: ${page.paragraphs.join(' ')}`);
  void mainWindow?.loadURL(errorPageUrl(page));
}
