import { ddlStatements } from './schema';

describe('splitting DDL into statements', () => {
  it('splits at a semicolon that ends a line', () => {
    expect(ddlStatements('CREATE SCHEMA a;\nCREATE TABLE a.t (x int);  \n\n  SELECT 1; SELECT 2')).toEqual([
      'CREATE SCHEMA a',
      'CREATE TABLE a.t (x int)',
      'SELECT 1; SELECT 2',
    ]);
  });

  it('keeps a dollar-quoted body whole, whatever its tag and however many lines end in a semicolon', () => {
    const fn = 'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$\nBEGIN\n  PERFORM 1;\n  RETURN 2;\nEND\n$body$';
    const outer = "DO $migrate$\nDECLARE b text := $x$ a;\n b; $x$;\nBEGIN\n  PERFORM 1;\nEND\n$migrate$";
    expect(ddlStatements(`${fn};\n${outer};\nSELECT $1::int;\nDO $$ BEGIN PERFORM 1; END $$;\n`)).toEqual([fn, outer, 'SELECT $1::int', 'DO $$ BEGIN PERFORM 1; END $$']);
  });
});
