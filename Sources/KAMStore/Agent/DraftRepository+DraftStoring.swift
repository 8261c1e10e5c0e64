import KAMCore

extension DraftRepository: DraftStoring {}
