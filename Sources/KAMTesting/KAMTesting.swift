import KAMCore
