export declare function npmEntry(env?: NodeJS.ProcessEnv, nodePath?: string): string;
export declare function npmCommand(args: string[]): [string, string[]];
export declare function electronBuilderCommand(args: string[]): [string, string[]];
