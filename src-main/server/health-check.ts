// Waits until a server answers GET /api/v1/health with {"status":"ok"} (docs/api.md "GET
// /api/v1/health"), polling with axios. The window loads only after this, so the person never sees
// a connection error page.
import axios from 'axios';

export interface HealthCheckOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Stops waiting early, e.g. when the server process has exited. */
  abandoned?: () => string | null;
}

export interface Health {
  status: 'ok';
  version: string;
}

export async function checkHealthOnce(baseUrl: string, timeoutMs = 2000): Promise<Health | null> {
  try {
    const response = await axios.get<unknown>(`${baseUrl}/api/v1/health`, {
      timeout: timeoutMs,
      // The bundled server is on loopback: never send this through a configured proxy.
      proxy: false,
      validateStatus: () => true,
      maxRedirects: 0,
    });
    const body = response.data as Partial<Health> | null;
    if (response.status === 200 && body && body.status === 'ok' && typeof body.version === 'string') {
      return { status: 'ok', version: body.version };
    }
    return null;
  } catch {
    return null;
  }
}

export async function waitForHealthy(baseUrl: string, options: HealthCheckOptions): Promise<Health> {
  const deadline = Date.now() + options.timeoutMs;
  // Every launch waits for this answer. A refused connection on loopback costs next to nothing, so
  // asking every 25 ms (not 150) lets the window load up to 125 ms sooner (docs/performance.md).
  const interval = options.intervalMs ?? 25;
  for (;;) {
    const abandoned = options.abandoned?.();
    if (abandoned) throw new Error(abandoned);
    const health = await checkHealthOnce(baseUrl, Math.min(2000, Math.max(200, deadline - Date.now())));
    if (health) return health;
    if (Date.now() >= deadline) {
      throw new Error(`The server at ${baseUrl} did not answer its health check within ${options.timeoutMs / 1000} s.`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
