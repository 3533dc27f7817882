/** The base of every error the schemas and their ports raise. */
export class PipelineError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An object store could not open, write or list an object. */
export class ObjectStoreError extends PipelineError {}

/** A table, service or column definition is inconsistent. */
export class SchemaDefinitionError extends PipelineError {}
