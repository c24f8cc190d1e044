import { describe, expect, it } from 'vitest';
import { OperationLabels } from '../../src/observability/metrics';

describe('metrics: the operation label a client chooses is bounded', () => {
  it('keeps the first names it sees, then labels every new one "other"; a known name stays itself', () => {
    const labels = new OperationLabels(2);
    expect(labels.of('AabnBorger')).toBe('AabnBorger');
    expect(labels.of('Registrer')).toBe('Registrer');
    expect(labels.of('Tredje')).toBe('other');
    expect(labels.of(`x${Math.random().toString(36).slice(2)}`)).toBe('other');
    expect(labels.of('AabnBorger')).toBe('AabnBorger');
  });

  it('an unnamed operation is "anonymous"; a name that is not a GraphQL name is "other" and takes no place', () => {
    const labels = new OperationLabels(1);
    expect(labels.of(undefined)).toBe('anonymous');
    expect(labels.of(null)).toBe('anonymous');
    expect(labels.of('drop table;')).toBe('other');
    expect(labels.of('a'.repeat(101))).toBe('other');
    expect(labels.of('Gyldig')).toBe('Gyldig');
  });
});
