/** The PostgreSQL schema that holds every read model, projection checkpoint, lease and delivery record. */
export const READ_MODEL_SCHEMA = 'rampart_read';
