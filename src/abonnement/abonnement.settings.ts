/**
 * Settings of the abonnement feature, read from the environment at start:
 * - `FORSOEGSKOMMUNER`: comma-separated kommunekoder of the forsøgskommuner (AB-2), e.g. `147,461`. Default none.
 * - `AB8_AKTIV`: `true` turns on AB-8 (announced for a later release). Default off.
 * Kept in this feature (not in the core config) and replaceable at run time, so tests can try both settings.
 */
export interface AbonnementSettings {
  forsoegskommuner: readonly string[];
  ab8Aktiv: boolean;
}

export function abonnementSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AbonnementSettings {
  const list = (env.FORSOEGSKOMMUNER ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const k of list) if (!/^\d{3}$/.test(k)) throw new Error(`FORSOEGSKOMMUNER: "${k}" er ikke en kommunekode på 3 cifre`);
  const ab8 = (env.AB8_AKTIV ?? 'false').trim().toLowerCase();
  if (!['true', 'false', '1', '0', ''].includes(ab8)) throw new Error(`AB8_AKTIV skal være true eller false, ikke "${env.AB8_AKTIV}"`);
  return { forsoegskommuner: list, ab8Aktiv: ab8 === 'true' || ab8 === '1' };
}

let current: AbonnementSettings = abonnementSettingsFromEnv();

export function abonnementSettings(): AbonnementSettings {
  return current;
}

/** Replaces some settings; returns a function that restores the previous ones (tests). */
export function setAbonnementSettings(patch: Partial<AbonnementSettings>): () => void {
  const previous = current;
  current = { ...current, ...patch };
  return () => {
    current = previous;
  };
}
