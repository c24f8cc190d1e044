/**
 * DataLoaders live per request. Features register theirs by key, so the core needs to know none of them.
 */
export class LoaderRegistry {
  private readonly loaders = new Map<string, unknown>();

  get<T>(key: string, create: () => T): T {
    let l = this.loaders.get(key) as T | undefined;
    if (l === undefined) {
      l = create();
      this.loaders.set(key, l);
    }
    return l;
  }
}
