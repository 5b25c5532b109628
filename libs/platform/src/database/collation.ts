/**
 * The collation of columns holding human names, set per column so that ORDER BY, their indexes and keyset
 * comparisons all agree: the database default (C.UTF-8) orders by code point and puts "Émile" after "Zoé";
 * ICU's root locale orders accents and case next to their base letters. Deterministic, so uniqueness and
 * equality stay byte-exact.
 */
export const HUMAN_NAME_COLLATION = 'und-x-icu';
