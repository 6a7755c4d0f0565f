"""Back-office identities (审核/经办人员) and their jurisdictions (管辖范围), administered via /manage/reviewers."""
