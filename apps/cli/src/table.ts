/** Prints rows (the first one is the header) as left-aligned columns two spaces apart. */
export const printTable = (rows: readonly (readonly string[])[]): void => {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const row of rows) process.stdout.write(`${row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}\n`);
};
