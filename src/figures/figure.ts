// A figure family as code: one SQL view, recreated whenever its text changes (see src/db/figures.ts).

export interface Figure {
  /** The view's name, as people querying the file see it. */
  readonly name: string;
  /** The view's SELECT (the `create view <name> as` is added when it is applied). */
  readonly select: string;
  /** The table this view is copied into after every ingest (explicit column list, see src/store/materialise.ts). */
  readonly materialisedAs?: string;
}
