// Schema fuzz of every Query field (fuzz/suite.ts says what it does and how to tune it).
import { schemaFuzz } from './fuzz/suite';

schemaFuzz('Query');
