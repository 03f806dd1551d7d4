/**
 * The configuration parameters the engine honours, with Redis' names, defaults and validation,
 * for CONFIG GET / SET.
 */
export class Config {
  private readonly values = new Map<string, string>();

  get(name: string): string | undefined {
    return this.values.get(name);
  }
}
