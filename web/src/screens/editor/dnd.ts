/** The drag type of a medium dragged from the library onto the grid. */
export const MEDIUM_TYPE = 'application/x-kompost-medium';
