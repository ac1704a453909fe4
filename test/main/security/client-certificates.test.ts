// Client certificates are never picked silently, and server certificate errors stay refused.
// Electron's App is stood in for by an EventEmitter that emits the two events the way Electron
// does (the runtime is not available here): what matters is what the handlers call.
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
  chooseClientCertificate,
  installCertificatePolicy,
  isServerHost,
  type ClientCertificate,
} from '../../../src-main/security/client-certificates.js';

const ORIGIN = 'https://id.corp.example';
const cert = (name: string): ClientCertificate => ({
  subjectName: name,
  issuerName: 'Corp CA',
  validExpiry: Date.parse('2027-01-31T00:00:00Z') / 1000,
  fingerprint: `sha256/${name}`,
});
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(choose: (certificates: ClientCertificate[], host: string) => Promise<ClientCertificate | null>) {
  const app = new EventEmitter();
  const log: string[] = [];
  const chooser = vi.fn(choose);
  const events = { on: (event: string, listener: (...args: never[]) => void) => app.on(event, listener as never) };
  installCertificatePolicy(events, { serverOrigin: () => ORIGIN, choose: chooser, log: (m) => log.push(m) });
  const request = (url: string, certificates: ClientCertificate[]) => {
    const event = { prevented: false, preventDefault: () => (event.prevented = true) };
    const callback = vi.fn();
    app.emit('select-client-certificate', event, null, url, certificates, callback);
    return { event, callback };
  };
  return { app, log, chooser, request };
}

describe('select-client-certificate', () => {
  it('never lets Electron pick the first certificate: preventDefault, every time', async () => {
    const { request } = setup(async () => null);
    for (const url of ['id.corp.example:443', 'other.example:443', 'id.corp.example:443']) {
      expect(request(url, [cert('a')]).event.prevented).toBe(true);
    }
  });

  it('sends no certificate to a host other than the server, without asking', async () => {
    const { request, chooser, log } = setup(async (list) => list[0]!);
    const { callback } = request('evil.example:443', [cert('alice')]);
    expect(callback).toHaveBeenCalledWith();
    expect(chooser).not.toHaveBeenCalled();
    expect(log).toEqual(['refused to send a client certificate to evil.example:443']);
  });

  it('sends the server the certificate the person picked, and only after they picked it', async () => {
    let pick: (value: ClientCertificate | null) => void = () => undefined;
    const { request, chooser } = setup(() => new Promise((resolve) => (pick = resolve)));
    const offered = [cert('alice'), cert('alice-old')];
    const { callback } = request('id.corp.example:443', offered);
    await settle();
    expect(chooser).toHaveBeenCalledWith(offered, 'id.corp.example:443');
    expect(callback).not.toHaveBeenCalled();
    pick({ ...cert('alice-old') });
    await settle();
    expect(callback).toHaveBeenCalledWith(offered[1]);
  });

  it.each([
    ['the person declines', async () => null],
    ['the dialog fails', async () => Promise.reject(new Error('no window'))],
    ['something not offered comes back', async () => cert('mallory')],
  ])('sends none when %s', async (_name, choose) => {
    const { request } = setup(choose);
    const { callback } = request('id.corp.example:443', [cert('alice')]);
    await settle();
    expect(callback).toHaveBeenCalledTimes(1);
    expect(callback).toHaveBeenCalledWith(undefined);
  });

  it('answers an empty list with no certificate', () => {
    const { request, chooser } = setup(async () => null);
    expect(request('id.corp.example:443', []).callback).toHaveBeenCalledWith();
    expect(chooser).not.toHaveBeenCalled();
  });
});

describe('isServerHost', () => {
  it.each([
    ['id.corp.example:443', ORIGIN, true],
    ['https://id.corp.example/', ORIGIN, true],
    ['id.corp.example:8443', ORIGIN, false],
    ['ID.corp.example:443', ORIGIN, true],
    ['id.corp.example.evil:443', ORIGIN, false],
    ['localhost:4812', 'http://localhost:4812', true],
    ['localhost:4813', 'http://localhost:4812', false],
    ['garbage::', ORIGIN, false],
    ['id.corp.example:443', 'null', false],
  ])('%s for %s → %s', (requested, origin, expected) => {
    expect(isServerHost(requested, origin)).toBe(expected);
  });
});

describe('certificate-error', () => {
  it('only logs: never prevents the default (deny) and never calls the callback', () => {
    const { app, log } = setup(async () => null);
    const event = { preventDefault: vi.fn() };
    const callback = vi.fn();
    app.emit(
      'certificate-error',
      event,
      {},
      'https://id.corp.example/',
      'net::ERR_CERT_AUTHORITY_INVALID',
      {},
      callback,
      true,
    );
    expect(event.preventDefault).not.toHaveBeenCalled();
    expect(callback).not.toHaveBeenCalled();
    expect(log).toEqual([
      'refused the server certificate of https://id.corp.example/: net::ERR_CERT_AUTHORITY_INVALID',
    ]);
    expect(app.listenerCount('certificate-error')).toBe(1);
  });
});

describe('chooseClientCertificate', () => {
  it('lists the certificates with the safe choice, sending none, as default and cancel', async () => {
    const showMessageBox = vi.fn(async (_options: unknown) => ({ response: 2 }));
    const offered = [cert('alice'), cert('bob')];
    expect(await chooseClientCertificate({ showMessageBox }, offered, 'id.corp.example:443')).toBeNull();
    const options = showMessageBox.mock.calls[0]![0] as { buttons: string[]; cancelId: number; defaultId: number };
    expect(options.buttons).toEqual([
      'alice — issued by Corp CA, valid until 2027-01-31',
      'bob — issued by Corp CA, valid until 2027-01-31',
      'Don’t send a certificate',
    ]);
    expect(options.cancelId).toBe(2);
    expect(options.defaultId).toBe(2);
  });

  it('returns the certificate whose button was pressed', async () => {
    const offered = [cert('alice'), cert('bob')];
    expect(await chooseClientCertificate({ showMessageBox: async () => ({ response: 1 }) }, offered, 'h:443')).toBe(
      offered[1],
    );
  });
});
