import { getDirectiveValues, GraphQLIncludeDirective, GraphQLSkipDirective, type FieldNode, type FragmentSpreadNode, type GraphQLResolveInfo, type InlineFragmentNode, type SelectionSetNode } from 'graphql';

/**
 * The names (not aliases) of the fields selected under the field being resolved, through inline and
 * named fragments, leaving out what `@skip`/`@include` leave out (as graphql-js's execution does). Lets a
 * resolver fetch in one statement what its children will ask for: BorgerService.get also writes their
 * access-log rows in that statement, so a field named here must be one that will be resolved.
 */
export function selectedFields(info: GraphQLResolveInfo): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  const included = (node: FieldNode | FragmentSpreadNode | InlineFragmentNode): boolean => {
    if (!node.directives?.length) return true;
    if (getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
  };
  const walk = (set: SelectionSetNode | undefined): void => {
    for (const s of set?.selections ?? []) {
      if (!included(s)) continue;
      if (s.kind === 'Field') out.add(s.name.value);
      else if (s.kind === 'InlineFragment') walk(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        walk(info.fragments[s.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes as readonly FieldNode[]) walk(node.selectionSet);
  return out;
}
