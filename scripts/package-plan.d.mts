export declare function requestedTargets(args: string[]): [NodeJS.Platform, string | null][];
export declare function refusal(args: string[], host?: { platform: string; arch: string }): string | null;
export type MacTouchIdPlan =
  | { error: string }
  | { touchId: false; notice: string }
  | { touchId: true; teamId: string; provisioningProfile: string };
export declare function macTouchIdPlan(env: NodeJS.ProcessEnv, fileExists: (path: string) => boolean): MacTouchIdPlan;
export declare function touchIdEntitlements(template: string, teamId: string): string;
