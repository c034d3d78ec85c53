-- Device 0004: the proposal index's vocabulary (each token with the number of proposals holding
-- it), which similar-proposal search reads to choose a draft's most telling words
-- (`lvzhi_store::search::similar_proposal_rowids`). A view of the index, nothing stored.
CREATE VIRTUAL TABLE proposal_vocabulary USING fts5vocab(proposal_search, 'row');
