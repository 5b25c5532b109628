import { compileRuleTree, positionalParams, SegmentRuleGroup, validateRuleTree } from './segment-rules';

const compile = (tree: SegmentRuleGroup) => {
  const params = positionalParams(1);
  return { sql: compileRuleTree(tree, params.bind, 'l'), values: params.values };
};

describe('compileRuleTree', () => {
  it('compiles nested and/or groups with every value as a parameter, after the offset', () => {
    const { sql, values } = compile({
      combinator: 'and',
      rules: [
        { field: 'status', operator: 'in', value: ['new', 'contacted'] },
        {
          combinator: 'or',
          rules: [
            { field: 'score', operator: 'gte', value: 50 },
            { field: 'tags', operator: 'has_tag', value: 'VIP' },
          ],
        },
      ],
    });
    expect(sql).toBe('(l.status = ANY(CAST($2 AS text[])) AND (l.score >= $3 OR l.tags @> ARRAY[CAST($4 AS text)]))');
    expect(values).toEqual([['new', 'contacted'], 50, 'vip']);
  });

  it('never pastes a value or a custom field key into the SQL', () => {
    const evil = "x'); DROP TABLE leads; --";
    const { sql, values } = compile({
      combinator: 'or',
      rules: [
        { field: 'name', operator: 'eq', value: evil },
        { field: 'customFields.plan', operator: 'contains', value: evil },
        { field: 'company', operator: 'starts_with', value: '50%_off\\' },
      ],
    });
    expect(sql).not.toContain('DROP');
    expect(sql).not.toContain('plan');
    expect(sql).toContain('l.custom_fields ->> $3 ILIKE $4');
    expect(values).toEqual([evil.toLowerCase(), 'plan', `%${evil}%`, '50\\%\\_off\\\\%']);
  });

  it('compiles text, date, tag and emptiness operators', () => {
    const { sql, values } = compile({
      combinator: 'and',
      rules: [
        { field: 'email', operator: 'neq', value: 'A@B.C' },
        { field: 'source', operator: 'not_in', value: ['Ads'] },
        { field: 'jobTitle', operator: 'is_empty' },
        { field: 'tags', operator: 'has_all_tags', value: ['a', 'B'] },
        { field: 'tags', operator: 'is_not_empty' },
        { field: 'createdAt', operator: 'between', value: ['2026-01-01', '2026-02-01'] },
        { field: 'lastContactedAt', operator: 'within_last_days', value: 7 },
        { field: 'nicheId', operator: 'is_empty' },
      ],
    });
    expect(sql).toBe(
      '(lower(l.email) IS DISTINCT FROM $2' +
        ' AND (l.source IS NULL OR NOT (lower(l.source) = ANY(CAST($3 AS text[]))))' +
        " AND coalesce(l.job_title, '') = ''" +
        ' AND l.tags @> CAST($4 AS text[])' +
        ' AND cardinality(l.tags) > 0' +
        ' AND l.created_at BETWEEN CAST($5 AS timestamptz) AND CAST($6 AS timestamptz)' +
        ' AND l.last_contacted_at >= now() - make_interval(days => CAST($7 AS int))' +
        ' AND l.niche_id IS NULL)',
    );
    expect(values).toEqual(['a@b.c', ['ads'], ['a', 'b'], '2026-01-01', '2026-02-01', 7]);
  });

  it('compares custom fields as numbers only where the JSON value is a number', () => {
    const { sql, values } = compile({
      combinator: 'and',
      rules: [
        { field: 'customFields.budget', operator: 'between', value: [1000, 5000] },
        { field: 'customFields.plan', operator: 'eq', value: 'Pro' },
      ],
    });
    expect(sql).toBe(
      "((CASE WHEN jsonb_typeof(l.custom_fields -> $2) = 'number' THEN (l.custom_fields ->> $2)::numeric END)" +
        ' BETWEEN $3 AND $4 AND lower(l.custom_fields ->> $5) = $6)',
    );
    expect(values).toEqual(['budget', 1000, 5000, 'plan', 'pro']);
  });
});

describe('validateRuleTree', () => {
  it('accepts a valid tree', () => {
    expect(
      validateRuleTree({
        combinator: 'and',
        rules: [
          { field: 'score', operator: 'between', value: [10, 20] },
          { field: 'customFields.vip', operator: 'eq', value: true },
          { field: 'email', operator: 'is_not_empty' },
        ],
      }),
    ).toEqual([]);
  });

  it('names the path of each bad rule: field, operator, value type', () => {
    const problems = validateRuleTree({
      combinator: 'and',
      rules: [
        { field: 'shoeSize', operator: 'eq', value: 1 },
        { combinator: 'or', rules: [{ field: 'score', operator: 'contains', value: 'x' }] },
        { field: 'createdAt', operator: 'before', value: 'yesterday' },
        { field: 'score', operator: 'between', value: [20, 10] },
        { field: 'status', operator: 'eq', value: 'zombie' },
        { field: 'tags', operator: 'is_empty', value: 'x' },
      ],
    });
    expect(problems.map((p) => p.field)).toEqual([
      'rules.rules[0].field',
      'rules.rules[1].rules[0].operator',
      'rules.rules[2].value',
      'rules.rules[3].value',
      'rules.rules[4].value',
      'rules.rules[5].value',
    ]);
  });

  it('refuses groups deeper than 3, more than 50 rules, empty groups and bad combinators', () => {
    const deep = {
      combinator: 'and',
      rules: [{ combinator: 'and', rules: [{ combinator: 'and', rules: [{ combinator: 'and', rules: [] }] }] }],
    };
    expect(validateRuleTree(deep).map((p) => p.field)).toEqual(['rules.rules[0].rules[0].rules[0]']);
    const many = {
      combinator: 'or',
      rules: Array.from({ length: 51 }, () => ({ field: 'score', operator: 'gt', value: 1 })),
    };
    expect(validateRuleTree(many)).toEqual([{ field: 'rules', message: 'at most 50 rules in a tree' }]);
    expect(validateRuleTree({ combinator: 'xor', rules: [] }).map((p) => p.field)).toEqual([
      'rules.combinator',
      'rules.rules',
    ]);
    expect(validateRuleTree({ field: 'score', operator: 'gt', value: 1 })[0].field).toBe('rules');
  });
});
