package idp

// Organization is a business a person may act for, as the identity provider asserts it.
type Organization struct {
	EnterpriseCode string `json:"enterprise_code"`
	Name           string `json:"name"`
}

// Person is a test identity the demo provider lets you sign in as.
type Person struct {
	Subject        string         // stable opaque identifier (never the personal ID)
	PersonalID     string         // 12-digit personal identification number
	Name           string         // full name with diacritics
	AssuranceLevel int            // 1 (basic) or 2 (verified in person, chip card)
	Organizations  []Organization // businesses this person may represent
}

// DemoPeople returns the test identities of `motcua demo`. Their personal IDs are well formed
// (LEGAL.md §9: province of birth 019 Thái Nguyên, 006 Bắc Kạn or 001 Hà Nội; century/sex
// digit; birth year) but invented, as are the businesses. A fresh slice is returned each time
// so callers may change it.
func DemoPeople() []Person {
	return []Person{
		{
			Subject: "vneid-demo-0001", PersonalID: "019085001234", Name: "Nguyễn Văn An", AssuranceLevel: 2,
			Organizations: []Organization{
				{EnterpriseCode: "4601234567", Name: "Công ty TNHH Chè Tân Cương Xanh"},
				{EnterpriseCode: "4601234567-001", Name: "Chi nhánh Công ty TNHH Chè Tân Cương Xanh tại Bắc Kạn"},
			},
		},
		{Subject: "vneid-demo-0002", PersonalID: "019192004567", Name: "Trần Thị Bình", AssuranceLevel: 2},
		{Subject: "vneid-demo-0003", PersonalID: "006078012345", Name: "Lê Hoàng Cường", AssuranceLevel: 1},
		{
			Subject: "vneid-demo-0004", PersonalID: "019301000321", Name: "Phạm Thị Dung", AssuranceLevel: 2,
			Organizations: []Organization{
				{EnterpriseCode: "4601122334", Name: "Hợp tác xã Nông nghiệp Đồng Hỷ Xanh"},
			},
		},
		{Subject: "vneid-demo-0005", PersonalID: "001095007890", Name: "Hoàng Minh Đức", AssuranceLevel: 1},
		{Subject: "vneid-demo-0006", PersonalID: "019168002468", Name: "Vũ Thị Hoa", AssuranceLevel: 2},
	}
}
