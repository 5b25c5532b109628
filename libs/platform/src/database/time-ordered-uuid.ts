/**
 * A SQL expression for a time-ordered UUID (RFC 9562 version 7: the first 48 bits are the Unix time in
 * milliseconds, then version 7; the rest is gen_random_uuid()'s randomness and variant). Postgres 15 has no
 * uuidv7(). Bulk writes use it for the rows they create: consecutive ids land on the right-hand pages of the
 * primary key and of every index that starts with the id, where random ids touch a page anywhere in them.
 * bench/README.md has what it saves on a 1M-row leads import.
 */
export const TIME_ORDERED_UUID_SQL =
  'encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing ' +
  'substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), ' +
  "'hex')::uuid";
