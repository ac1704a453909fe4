export declare const PROJECT_ROOT: string;
export declare function electronBinary(): string | null;
export declare const MISSING_BINARY_MESSAGE: string;
