// The notifier's high-water marks: {"<server origin>": <ms since epoch>} in a small JSON file in
// the user-data folder. Not secret: it only says up to when events were shown.

export interface MarksFile {
  readFile(path: string): Promise<string>;
  writeFile(path: string, contents: string): Promise<void>;
}

export function jsonFileMarks(path: string, file: MarksFile) {
  const load = async (): Promise<Record<string, number>> => {
    try {
      const value: unknown = JSON.parse(await file.readFile(path));
      if (typeof value !== 'object' || value === null) return {};
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).filter(
          (entry): entry is [string, number] => typeof entry[1] === 'number',
        ),
      );
    } catch {
      return {};
    }
  };
  return {
    async get(server: string): Promise<number | undefined> {
      return (await load())[server];
    },
    async set(server: string, at: number): Promise<void> {
      const marks = await load();
      marks[server] = at;
      await file.writeFile(path, `${JSON.stringify(marks)}\n`);
    },
  };
}
