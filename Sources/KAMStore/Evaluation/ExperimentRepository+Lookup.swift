import KAMCore

extension ExperimentRepository: RunningExperimentLookup {}
