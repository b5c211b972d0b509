ALTER FUNCTION similarity_op(text, text) COST 1;
